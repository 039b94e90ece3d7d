"""The counting engine: exact participatory-budgeting rules, with no Django in sight.

Typical use::

    from voting.counting import read_pb, count
    outcome = count(read_pb("ballots.pb"), rule="mes-add1-greedy")
    outcome.selected, outcome.total_cost, outcome.results
"""

from .engine import DEFAULT_RULE, RULES, count
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

__all__ = [
    "DEFAULT_RULE",
    "RULES",
    "Ballot",
    "CountingError",
    "Election",
    "ElectionError",
    "Outcome",
    "PbFormatError",
    "Project",
    "ProjectResult",
    "UnsupportedRule",
    "anonymise",
    "count",
    "parse_pb",
    "read_pb",
    "write_pb",
]
