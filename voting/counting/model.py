"""Plain data types for an election and its counted outcome.

Money and points are ``int`` or ``fractions.Fraction``, never ``float``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

Number = int | Fraction

APPROVAL = "approval"
CHOOSE_1 = "choose-1"
CUMULATIVE = "cumulative"
SCORING = "scoring"
ORDINAL = "ordinal"
VOTE_TYPES = (APPROVAL, CHOOSE_1, CUMULATIVE, SCORING, ORDINAL)
# Vote types whose ballots carry points, not just a choice of projects.
POINTS_VOTE_TYPES = (CUMULATIVE, SCORING)


class CountingError(Exception):
    """Base class for every error the counting engine raises on purpose."""


class PbFormatError(CountingError):
    """A ``.pb`` file could not be read. The message names the line."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


class ElectionError(CountingError):
    """An election is not well formed (an unknown project, a negative cost...)."""


class UnsupportedRule(CountingError):
    """The rule is unknown, or not defined for the election's ballot type."""


@dataclass(frozen=True)
class Project:
    id: str
    cost: Number
    name: str = ""
    # Other PROJECTS columns of a .pb file, kept so that a file can be written back.
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Ballot:
    """One ballot, or ``multiplicity`` identical ones.

    ``projects`` is the set of approved projects (approval, choose-1), the ranking from the
    most preferred (ordinal), or the projects given points, with ``points`` alongside
    (cumulative, scoring).
    """

    projects: tuple[str, ...]
    points: tuple[Number, ...] | None = None
    multiplicity: int = 1
    voter_id: str | None = None
    # pabulib's ``voting_method`` ("internet", "paper"); published, never counted.
    voting_method: str | None = None


@dataclass
class Election:
    vote_type: str
    budget: Number
    projects: list[Project]
    ballots: list[Ballot]
    # The META section of a .pb file (budget, vote_type, num_votes... included).
    meta: dict[str, str] = field(default_factory=dict)
    # What the reader changed to read a real-world file, one sentence each (a project
    # listed twice in an approval vote, counted once...).
    normalised: list[str] = field(default_factory=list)

    @property
    def num_ballots(self) -> int:
        return sum(b.multiplicity for b in self.ballots)

    def project(self, project_id: str) -> Project:
        for p in self.projects:
            if p.id == project_id:
                return p
        raise KeyError(project_id)


@dataclass(frozen=True)
class ProjectResult:
    """One row of the results table: a proposal, its votes and why it won or lost."""

    project_id: str
    name: str
    cost: Number
    votes: int
    # Points for cumulative/scoring ballots, positional points for ordinal ballots,
    # otherwise equal to ``votes``.
    score: Number
    funded: bool
    reason: str
    reason_text: str
    # Position in the order the rule funded proposals (1 = first), None when not funded.
    funded_order: int | None = None
    # The amounts and names in the reason, for those who word it themselves: "cost" and
    # "left" (money, None if unknown) and "next" (a project id).
    reason_values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    rule: str
    tie_break: str
    selected: tuple[str, ...]
    total_cost: Number
    budget: Number
    results: tuple[ProjectResult, ...]
    # For mes-add1 and mes-add1-greedy: the budget per voter MES finally used.
    details: dict[str, object] = field(default_factory=dict)

    def result(self, project_id: str) -> ProjectResult:
        for r in self.results:
            if r.project_id == project_id:
                return r
        raise KeyError(project_id)
