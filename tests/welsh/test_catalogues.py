"""Every message in both Welsh catalogues is translated, none is fuzzy, and the
translations keep their placeholders (a missing one would break the page or the email)."""

import re

from tests.welsh.catalogues import CATALOGUES, english_leaks, messages, visible_text

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w+\}")


def _forms(value):
    return [value] if isinstance(value, str) else list(value)


def test_no_message_in_either_catalogue_is_untranslated_or_fuzzy():
    problems = []
    for path, message in messages():
        where = f"{path.relative_to(path.parents[3])}: {_forms(message.id)[0]!r}"
        if message.fuzzy:
            problems.append(f"fuzzy {where}")
        if not all(form.strip() for form in _forms(message.string)):
            problems.append(f"untranslated {where}")
    assert not problems, "\n".join(problems)


def test_translations_use_only_their_messages_placeholders():
    problems = []
    for path, message in messages():
        allowed = {p for msgid in _forms(message.id) for p in PLACEHOLDER.findall(msgid)}
        for form in _forms(message.string):
            extra = set(PLACEHOLDER.findall(form)) - allowed
            if extra:
                problems.append(f"{path.name}: {_forms(message.id)[0]!r} has {sorted(extra)}")
    assert not problems, "\n".join(problems)


def test_both_catalogues_are_there():
    assert all(path.exists() for path in CATALOGUES)


def test_the_leak_check_finds_undeclared_english_and_ignores_declared_english():
    html = (
        "<html lang='cy'><title>Eich manylion</title><p>Save my details</p>"
        "<p lang='en-gb'>Delete your account</p><script>Send my vote</script></html>"
    )
    assert "Save my details" in visible_text(html)
    assert english_leaks(html) == ["Save my details"]


# A name filled in after one of these words would need mutating ("o'r Gronfa", "yng
# Nglan-yr-afon"), which a placeholder cannot do: the Welsh is worded around the name.
MUTATING = re.compile(
    r"(?<![\w'])(yn|ym|yng|i|i'r|o|o'r|dros|gan|am|ar|at|â|heb|trwy|wrth|dan|hyd)\s+"
    r"%\((place|name|neighbourhood|fund|round|district|council|anchor|station)\)s",
    re.IGNORECASE,
)


def test_no_name_placeholder_follows_a_word_that_would_mutate_it():
    problems = [
        f"{path.parent.parent.parent.parent.name}: {match.group(0)!r} in {form!r}"
        for path, message in messages()
        for form in _forms(message.string)
        for match in MUTATING.finditer(form)
    ]
    assert not problems, "\n".join(problems)


def test_suggesting_an_idea_is_always_cynnig():
    """One word for suggesting an idea; "awgrymu" had crept in beside "cynnig"."""
    found = [
        form
        for _path, message in messages()
        for form in _forms(message.string)
        if "awgrym" in form.lower()
    ]
    assert not found, found
