"""The counting rules by name, as the cities that use them ran them.

Names are pabulib's 2026 vocabulary (https://pabulib.org/format, META ``rule``) where the
vocabulary has one, so a published file says exactly how it was counted. Three names
are the platform's own: ``equalshares/add1-greedy`` (Equal Shares with Add1, then the
money left goes by votes: equalshares.net's "Add1U"), ``phragmen``, and the two
``mes-add1`` variants kept from before the vocabulary (pabutools' way of adding one unit,
see below), so that counts made under those names can still be re-checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .model import APPROVAL, CHOOSE_1, ORDINAL, UnsupportedRule


@dataclass(frozen=True)
class Rule:
    name: str
    # How the rule is written in a pabulib file's META ``rule`` (``unknown`` when the
    # vocabulary has no name for it; the file's comment then says what was done).
    pabulib: str
    equal_shares: bool = False
    # Equal Shares completion: None (plain), "add1" (pabulib's: from the whole currency
    # unit below budget/voters, up to the first outcome that overspends) or "add1-pabutools"
    # (pabutools': from budget/voters, stopping early once the outcome is exhaustive).
    completion: str | None = None
    comparison: bool = False  # replaced by greedy if more voters prefer greedy's outcome
    top_up: bool = False  # money left after Equal Shares goes by votes
    no_skip: bool = False  # greedy stops at the first proposal that does not fit
    needs_threshold: bool = False
    phragmen: bool = False
    # One line in plain English, for the command line's --help (README.md says more).
    summary: str = ""


RULES_BY_NAME = {
    r.name: r
    for r in (
        Rule(
            "greedy",
            "greedy",
            summary="most votes first; a proposal that does not fit is skipped",
        ),
        Rule(
            "greedy-no-skip",
            "greedy-no-skip",
            no_skip=True,
            summary="most votes first, stopping at the first proposal that does not fit",
        ),
        Rule(
            "greedy-threshold",
            "greedy-threshold",
            needs_threshold=True,
            summary="most votes first, only proposals with at least --min-votes votes",
        ),
        Rule(
            "equalshares",
            "equalshares",
            equal_shares=True,
            summary="Method of Equal Shares: each voter has an equal share of the money, "
            "and a proposal is funded only if its voters can pay for it",
        ),
        Rule(
            "equalshares-comparison",
            "equalshares-comparison",
            True,
            comparison=True,
            summary="Equal Shares, replaced by most votes first if more voters prefer that",
        ),
        Rule(
            "equalshares/add1",
            "equalshares/add1",
            True,
            "add1",
            summary="Equal Shares, the shares raised one currency unit at a time to spend "
            "more of the money (Add1)",
        ),
        Rule(
            "equalshares/add1-comparison",
            "equalshares/add1-comparison",
            True,
            "add1",
            True,
            summary="Equal Shares with Add1, replaced by most votes first if more voters "
            "prefer that",
        ),
        Rule(
            "equalshares/add1-greedy",
            "unknown",
            True,
            "add1",
            top_up=True,
            summary="Equal Shares with Add1, then the money left goes by most votes",
        ),
        Rule(
            "phragmen",
            "unknown",
            phragmen=True,
            summary="sequential Phragmén: voters earn money at a steady rate and buy "
            "proposals together (approval ballots only)",
        ),
        Rule(
            "mes-add1",
            "unknown",
            True,
            "add1-pabutools",
            summary="Equal Shares with pabutools' Add1, which also stops once nothing "
            "else fits: not always what equalshares/add1 funds",
        ),
        Rule(
            "mes-add1-greedy",
            "unknown",
            True,
            "add1-pabutools",
            top_up=True,
            summary="mes-add1, then the money left goes by most votes",
        ),
    )
}
RULES = tuple(RULES_BY_NAME)
# Earlier names that still work: each means exactly what it meant.
ALIASES = {"mes": "equalshares"}
DEFAULT_RULE = "equalshares/add1-comparison"


@dataclass(frozen=True)
class Eligibility:
    """Which proposals may be funded at all, whatever the rule.

    A proposal nobody voted for never is. ``min_votes``: at least this many votes (for
    points ballots, this many points; pabulib's ``min_project_score_threshold``).
    ``cost_share_divisor`` d: the share of voters who voted for it must be at least its
    share of the budget divided by d (Świecie 2023 used d = 3: votes / voters >= cost /
    (3 x budget)).
    """

    min_votes: int = 0
    cost_share_divisor: int | None = None

    def __post_init__(self):
        if type(self.min_votes) is not int or self.min_votes < 0:
            raise UnsupportedRule("a vote threshold must be a whole number, 0 or more")
        divisor = self.cost_share_divisor
        if divisor is not None and (type(divisor) is not int or divisor < 1):
            raise UnsupportedRule("a cost-share threshold must be a whole number, 1 or more")

    @property
    def is_default(self) -> bool:
        return self.min_votes == 0 and self.cost_share_divisor is None

    def allows(self, votes: int, score, cost, voters: int, budget) -> tuple[bool, str]:
        """(eligible, reason code if not); score, cost and budget in real units."""
        if votes == 0:
            return False, "no_votes"
        if score < self.min_votes:
            return False, "below_threshold"
        d = self.cost_share_divisor
        if d is not None and Fraction(votes) * d * budget < Fraction(cost) * voters:
            return False, "below_cost_share"
        return True, ""


def resolve(rule: str) -> Rule:
    name = ALIASES.get(rule, rule)
    if name not in RULES_BY_NAME:
        known = ", ".join(RULES + tuple(ALIASES))
        raise UnsupportedRule(f"unknown rule {rule!r}; use one of {known}")
    return RULES_BY_NAME[name]


def check_rule(rule: str, vote_type: str, eligibility: Eligibility | None = None) -> Rule:
    found = resolve(rule)
    if found.equal_shares and vote_type == ORDINAL:
        raise UnsupportedRule(f"{rule} is not defined for ordinal (ranked) ballots; use greedy")
    if found.phragmen and vote_type not in (APPROVAL, CHOOSE_1):
        raise UnsupportedRule(f"phragmen is only defined for approval ballots, not {vote_type}")
    if found.needs_threshold and (eligibility is None or eligibility.min_votes < 1):
        raise UnsupportedRule(f"{rule} needs a vote threshold of at least 1")
    return found


def pabulib_rule(rule: str, eligibility: Eligibility) -> str:
    """The META ``rule`` a published file gives: the vocabulary name only where pabulib's
    own definition of that name, thresholds included, is what was counted."""
    found = resolve(rule)
    if eligibility.cost_share_divisor is not None:
        return "unknown"
    if eligibility.min_votes:
        return "greedy-threshold" if found.name in ("greedy", "greedy-threshold") else "unknown"
    return found.pabulib
