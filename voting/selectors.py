from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.bilingual import LocalisedText
from budgets.models import Envelope
from config.sql import CompiledRows, rows_together
from proposals.models import Proposal
from voting.eligibility import envelope_for_voter_from, envelope_for_voter_statement
from voting.keys import ballot_key
from voting.models import Ballot, BallotChoice
from voting.rules import KNAPSACK, BallotRefused, BallotRule, OnBallot, check_ballot


@dataclass(frozen=True)
class BudgetMeter:
    chosen_pence: int
    budget_pence: int
    chosen_count: int
    points_used: int

    @property
    def left_pence(self) -> int:
        return self.budget_pence - self.chosen_pence

    @property
    def over_pence(self) -> int:
        return max(0, self.chosen_pence - self.budget_pence)

    @property
    def over(self) -> bool:
        return self.chosen_pence > self.budget_pence

    @property
    def percent(self) -> int:
        if not self.budget_pence:
            return 0
        return min(100, round(100 * self.chosen_pence / self.budget_pence))


def ballot_proposals(envelope) -> list[Proposal]:
    """The proposals on the ballot, in the order shown, in one query."""
    return list(
        Proposal.objects.on_ballot(envelope)
        .only(
            "pk", "title", "summary", "cost_pence", "adjusted_cost_pence", "envelope_id", "language"
        )
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class BallotIdea:
    """An idea as the online ballot page shows it: read as plain values, as making 60
    model instances cost the page more CPU than drawing them."""

    pk: int
    title: str
    summary: str
    effective_cost_pence: int
    language: str


# Compiled once per process (config.sql): the ORM's building of these cost more CPU than
# drawing the page.
_IDEAS = CompiledRows(
    lambda envelope_id: (
        Proposal.objects.on_ballot(envelope_id)
        .order_by("title", "pk")
        .values_list("pk", "title", "summary", "effective_cost", "language")
    ),
    envelope_id=int,
)
_STORED = CompiledRows(
    lambda envelope_id, key: BallotChoice.objects.filter(
        ballot__envelope_id=envelope_id, ballot__ballot_key=key
    ).values_list("proposal_id", "points"),
    envelope_id=int,
    key=str,
)


def ballot_ideas(envelope) -> list[BallotIdea]:
    """``ballot_proposals`` as plain values, in the same order, in one query."""
    return [BallotIdea(*row) for row in _IDEAS.rows(envelope_id=envelope.pk)]


def stored_choices(*, user, envelope_id: int) -> dict[int, int]:
    """The voter's stored choices (proposal id -> points); empty if they have not voted."""
    (rows,) = rows_together(_stored_statement(user, envelope_id))
    return dict(rows)


def _stored_statement(user, envelope_id: int) -> tuple[str, list]:
    key = ballot_key(voter_id=user.pk, envelope_id=envelope_id)
    return _STORED.statement(envelope_id=envelope_id, key=key)


@dataclass(frozen=True)
class BallotReads:
    envelope: Envelope
    stored: dict[int, int]
    ideas: list[BallotIdea]


def ballot_reads(*, user, envelope_id: int) -> BallotReads:
    """``envelope_for_voter``, ``stored_choices`` and ``ballot_ideas`` in one round trip,
    for the ballot page. Raises Envelope.DoesNotExist."""
    found, stored, ideas = rows_together(
        envelope_for_voter_statement(user, envelope_id),
        _stored_statement(user, envelope_id),
        _IDEAS.statement(envelope_id=envelope_id),
    )
    return BallotReads(
        envelope=envelope_for_voter_from(found),
        stored=dict(stored),
        ideas=[BallotIdea(*row) for row in ideas],
    )


def budget_meter(
    rule: BallotRule, choices: dict[int, int], options: dict[int, OnBallot]
) -> BudgetMeter:
    known = [pid for pid in choices if pid in options]
    return BudgetMeter(
        chosen_pence=sum(options[pid].cost_pence for pid in known) if rule.kind == KNAPSACK else 0,
        budget_pence=rule.budget_pence,
        chosen_count=len(known),
        points_used=sum(choices[pid] for pid in known),
    )


def choices_of(ballot: Ballot | None) -> dict[int, int]:
    if ballot is None:
        return {}
    return dict(ballot.choices.values_list("proposal_id", "points"))


def chosen_proposals(ballot: Ballot) -> list[tuple[Proposal, int]]:
    return [
        (choice.proposal, choice.points)
        for choice in ballot.choices.select_related("proposal").order_by("proposal__title")
    ]


@dataclass(frozen=True)
class BallotCheck:
    """What the voter chose, ready to check before sending: proposals with their costs
    (and points), and the total cost."""

    rule: BallotRule
    chosen: list[tuple[Proposal, int]]
    total_pence: int
    budget_pence: int


def options_of(proposals) -> dict[int, OnBallot]:
    """Ideas (``Proposal`` or ``BallotIdea``) as the rules read them, each title marked
    with the language it was written in for the rules' messages."""
    return {
        p.pk: OnBallot(p.pk, LocalisedText(p.title, p.language), p.effective_cost_pence)
        for p in proposals
    }


def ballot_check(envelope, choices: dict[int, int], *, age_confirmed: bool) -> BallotCheck:
    """The check page's content; raises BallotRefused, with what to change, for choices
    the round's rule would refuse (the cast checks again: this only saves a wasted trip)."""
    rule = BallotRule.for_envelope(envelope)
    proposals = ballot_proposals(envelope)
    check_ballot(rule, choices, options_of(proposals))
    minimum_age = envelope.round.minimum_age
    if minimum_age and not age_confirmed:
        raise BallotRefused(
            _("Confirm that you are %(age)d or older to vote.") % {"age": minimum_age},
            field="age_confirmed",
        )
    chosen = [(p, choices[p.pk]) for p in proposals if p.pk in choices]
    return BallotCheck(
        rule=rule,
        chosen=chosen,
        total_pence=sum(p.effective_cost_pence for p, _points in chosen),
        budget_pence=envelope.amount_pence,
    )


def chosen_with_total(ballot: Ballot) -> dict:
    chosen = chosen_proposals(ballot)
    return {"rows": chosen, "total_pence": sum(p.effective_cost_pence for p, _ in chosen)}
