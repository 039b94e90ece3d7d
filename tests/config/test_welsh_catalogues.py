"""The Welsh catalogues: nothing fuzzy, and translations that mean what the English says."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po",
    ROOT / "stations" / "locale" / "cy" / "LC_MESSAGES" / "django.po",
]


def _entries(path):
    with path.open("rb") as po:
        return [message for message in read_po(po) if message.id]


def _texts(value):
    return list(value) if isinstance(value, (tuple, list)) else [value]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_entry_is_left_fuzzy(path):
    assert [m.id for m in _entries(path) if m.fuzzy] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_postcodes_are_translated_as_postcodes(path):
    # Guesses by gettext's fuzzy matching once turned "Voter code" into "your home postcode".
    wrong = [
        m.id
        for m in _entries(path)
        if any("cod post" in text.lower() for text in _texts(m.string) if text)
        and not any("postcode" in text.lower() for text in _texts(m.id))
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("english", "welsh"),
    [
        ("Voter code", "Cod pleidleisio"),
        ("Your voter code:", "Eich cod pleidleisio:"),
        ("Your choices", "Eich dewisiadau"),
        ("Import postcodes", "Mewnforio codau post"),
        ("Neighbourhoods", "Cymdogaethau"),
    ],
)
def test_words_that_were_wrong_now_mean_what_they_say(english, welsh):
    (entry,) = [m for m in _entries(CATALOGUES[0]) if m.id == english]
    assert entry.string == welsh


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_gettext_accepts_the_catalogue(path):
    # msgfmt --check: no duplicate entries, placeholders that match, a plural header.
    import subprocess

    checked = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_the_kiosk_ballot_explains_its_rule_in_welsh():
    # Found by a trial: the Welsh kiosk's ballot said "Choose the proposals you want, …".
    from django.utils import translation

    from voting.rules import KNAPSACK, BallotRule

    rule = BallotRule(kind=KNAPSACK, budget_pence=30_000_00)
    english = rule.explain()
    with translation.override("cy"):
        welsh = rule.explain()
    assert welsh != english
    assert welsh.startswith("Dewiswch y syniadau") and "£30,000" in welsh
