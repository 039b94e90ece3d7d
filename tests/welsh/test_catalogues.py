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
