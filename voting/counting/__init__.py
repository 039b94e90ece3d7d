"""The counting engine: exact participatory-budgeting rules, with no Django in sight.

Typical use::

    from voting.counting import read_pb, count
    outcome = count(read_pb("ballots.pb"), rule="equalshares/add1")
    outcome.selected, outcome.total_cost, outcome.results
"""

from .engine import ALIASES, DEFAULT_RULE, RULES, Eligibility, count
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
from .rules import pabulib_rule

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
