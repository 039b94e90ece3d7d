"""The counting engine: exact participatory-budgeting rules, with no Django in sight.

Typical use::

    from voting.counting import read_pb, count
    outcome = count(read_pb("ballots.pb"), rule="equalshares/add1")
    outcome.selected, outcome.total_cost, outcome.results
"""

from typing import TYPE_CHECKING

from .model import (
    Ballot,
    CountingError,
    Election,
    ElectionError,
    Outcome,
    PbFormatError,
    Project,
    ProjectResult,
    UnsupportedRule,
)
from .pb_format import anonymise, parse_pb, read_pb, write_pb
from .rules import ALIASES, DEFAULT_RULE, RULES, Eligibility, pabulib_rule

if TYPE_CHECKING:
    from .engine import count


def __getattr__(name: str):
    """``count`` is imported when first used: the rules count with NumPy, and reading,
    writing and fingerprinting a file need nothing but Python, so that ``python -m
    counting`` can say plainly that NumPy is missing (see ``__main__``)."""
    if name == "count":
        from .engine import count

        return count
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALIASES",
    "DEFAULT_RULE",
    "RULES",
    "Ballot",
    "CountingError",
    "Election",
    "ElectionError",
    "Eligibility",
    "Outcome",
    "PbFormatError",
    "Project",
    "ProjectResult",
    "UnsupportedRule",
    "anonymise",
    "count",
    "pabulib_rule",
    "parse_pb",
    "read_pb",
    "write_pb",
]
