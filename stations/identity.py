"""Who a declared voter is, in a normalised form, and how sure a match with a voter is.

Names are compared after folding case and accents, dropping titles and punctuation and
squeezing spaces, so "Mrs Siân  O'Brien" and "sian obrien" are the same name.
"""

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame"}
SIMILAR_NAME_RATIO = 0.8


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "").casefold()
    letters = "".join(
        ch if ch.isalnum() else " " if ch.isspace() or ch in "-." else ""
        for ch in decomposed
        if not unicodedata.combining(ch)
    )
    words = [word for word in letters.split() if word not in TITLES]
    return " ".join(words)


@dataclass(frozen=True)
class Identity:
    """A declared or known voter: normalised name, normal postcode, date of birth if known."""

    name: str
    postcode: str
    date_of_birth: date | None = None


class Match(Enum):
    NONE = "none"
    UNCERTAIN = "uncertain"
    SAME = "same"


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    a_words, b_words = a.split(), b.split()
    # Same surname and same first initial: "Jon Smith" and "John Smith", "J Smith".
    if a_words and b_words and a_words[-1] == b_words[-1] and a_words[0][0] == b_words[0][0]:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_NAME_RATIO


def compare(declared: Identity, known: Identity) -> Match:
    """SAME when name, postcode and (where both are known) date of birth agree exactly.

    UNCERTAIN when the postcode agrees and either the names are only similar, or the
    names agree but only one side has a date of birth; an officer decides those.
    """
    if declared.postcode != known.postcode:
        return Match.NONE
    dobs_known = declared.date_of_birth is not None and known.date_of_birth is not None
    if dobs_known and declared.date_of_birth != known.date_of_birth:
        return Match.NONE
    if declared.name == known.name:
        one_dob_missing = (declared.date_of_birth is None) != (known.date_of_birth is None)
        return Match.UNCERTAIN if one_dob_missing else Match.SAME
    if _similar(declared.name, known.name):
        return Match.UNCERTAIN
    return Match.NONE


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday
