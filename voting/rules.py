"""The ballot rules. The server is the only judge: every refusal says what to change."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.bilingual import MarkedMessage
from budgets.money import format_pence

APPROVAL = "approval"
K_APPROVAL = "k_approval"
KNAPSACK = "knapsack"
CUMULATIVE = "cumulative"


class BallotRefused(ValueError):
    """A ballot that breaks the round's rule; the message tells the voter what to change,
    and ``field`` which part of the ballot form it is about ("choices" or "age_confirmed")."""

    def __init__(self, message: str, field: str = "choices"):
        super().__init__(message)
        self.message = message  # a MarkedMessage keeps an idea's title marked on the page
        self.field = field


@dataclass(frozen=True)
class BallotRule:
    kind: str
    budget_pence: int
    max_choices: int | None = None
    points_total: int | None = None
    points_per_proposal_max: int | None = None

    @classmethod
    def for_envelope(cls, envelope) -> "BallotRule":
        round_ = envelope.round
        return cls(
            kind=round_.ballot_rule,
            budget_pence=envelope.amount_pence,
            max_choices=round_.max_choices,
            points_total=round_.points_total,
            points_per_proposal_max=round_.points_per_proposal_max,
        )

    @property
    def uses_points(self) -> bool:
        return self.kind == CUMULATIVE

    @property
    def choice_limit(self) -> int:
        """The most proposals a k-approval ballot may choose (the database requires it)."""
        if self.max_choices is None:
            raise ValueError(f"a {self.kind} ballot has no max_choices")
        return self.max_choices

    @property
    def point_limits(self) -> tuple[int, int]:
        """A points ballot's total and its most per proposal (the database requires both)."""
        if self.points_total is None or self.points_per_proposal_max is None:
            raise ValueError(f"a {self.kind} ballot has no points limits")
        return self.points_total, self.points_per_proposal_max

    def explain(self) -> str:
        """The rule in one plain sentence, for the top of the ballot."""
        if self.kind == K_APPROVAL:
            return ngettext(
                "Choose up to %(k)d idea.", "Choose up to %(k)d ideas.", self.choice_limit
            ) % {"k": self.choice_limit}
        if self.kind == KNAPSACK:
            return _(
                "Choose the ideas you want, as long as their costs add up to %(budget)s or less."
            ) % {"budget": format_pence(self.budget_pence)}
        if self.kind == CUMULATIVE:
            return _(
                "Spread up to %(total)d points between the ideas you like, "
                "with at most %(most)d on any one."
            ) % {"total": self.points_total, "most": self.points_per_proposal_max}
        return _("Choose as many ideas as you like.")


@dataclass(frozen=True)
class OnBallot:
    id: int
    title: str
    cost_pence: int


def check_ballot(
    rule: BallotRule, choices: Mapping[int, int], ballot: Mapping[int, OnBallot]
) -> None:
    """Raise BallotRefused unless ``choices`` (proposal id -> points) obeys ``rule``."""
    unknown = [pid for pid in choices if pid not in ballot]
    if unknown:
        raise BallotRefused(
            _(
                "One of your choices is not on this ballot any more. "
                "Check your choices and send them again."
            )
        )
    if not choices:
        raise BallotRefused(_("Choose at least one idea before you send your vote."))
    if rule.uses_points:
        _check_points(rule, choices, ballot)
        return
    if any(points != 1 for points in choices.values()):
        raise BallotRefused(
            _("Each idea is either chosen or not. Check your choices and send them again.")
        )
    if rule.kind == K_APPROVAL and len(choices) > rule.choice_limit:
        extra = len(choices) - rule.choice_limit
        raise BallotRefused(
            ngettext(
                "You chose %(n)d ideas but can choose up to %(k)d. Untick %(extra)d.",
                "You chose %(n)d ideas but can choose up to %(k)d. Untick %(extra)d of them.",
                extra,
            )
            % {"n": len(choices), "k": rule.choice_limit, "extra": extra}
        )
    if rule.kind == KNAPSACK:
        total = sum(ballot[pid].cost_pence for pid in choices)
        if total > rule.budget_pence:
            raise BallotRefused(
                _(
                    "Your choices cost %(total)s, which is %(over)s more than the %(budget)s "
                    "available. Untick ideas costing at least %(over)s."
                )
                % {
                    "total": format_pence(total),
                    "over": format_pence(total - rule.budget_pence),
                    "budget": format_pence(rule.budget_pence),
                }
            )


def _check_points(
    rule: BallotRule, choices: Mapping[int, int], ballot: Mapping[int, OnBallot]
) -> None:
    points_total, most = rule.point_limits
    for pid, points in choices.items():
        if points < 1:
            raise BallotRefused(
                MarkedMessage(
                    _("Give “%(title)s” at least 1 point, or leave it out."),
                    {"title": ballot[pid].title},
                )
            )
        if points > most:
            raise BallotRefused(
                MarkedMessage(
                    _(
                        "You gave “%(title)s” %(points)d points; the most one idea can have "
                        "is %(most)d."
                    ),
                    {"title": ballot[pid].title, "points": points, "most": most},
                )
            )
    total = sum(choices.values())
    if total > points_total:
        raise BallotRefused(
            _("You gave %(total)d points but have %(have)d. Take away %(over)d.")
            % {"total": total, "have": points_total, "over": total - points_total}
        )
