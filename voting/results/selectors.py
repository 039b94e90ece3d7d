"""What the public results pages read. Every query here is bounded, whatever the size."""

from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from accounts.bilingual import LocalisedText, sorted_by_name
from budgets.models import Envelope, Round
from voting.models import Channel, Participation
from voting.results.explanations import reason_sentence
from voting.results.models import EnvelopeCount, ProposalResult

Phase = Round.Phase


@dataclass(frozen=True)
class ResultRow:
    result: ProposalResult
    votes_width: int  # percent of the most votes any proposal got
    cost_width: int  # percent of the budget
    why: str  # why it won or lost, in the reader's language


def published_outcome(envelope_id: int) -> EnvelopeCount:
    """The envelope's outcome if its round is published; raises DoesNotExist otherwise."""
    return EnvelopeCount.objects.select_related(
        "envelope__round__fund__council", "envelope__neighbourhood"
    ).get(
        envelope_id=envelope_id,
        published_at__isnull=False,
        envelope__round__phase=Phase.PUBLISHED,
    )


def _percent(part: int, whole: int) -> int:
    return min(100, round(100 * part / whole)) if whole else 0


def _title(proposal) -> LocalisedText:
    """A title in a reason ("the count stopped at …"), marked with its own language."""
    return LocalisedText(proposal.title, proposal.language)


def result_rows(outcome: EnvelopeCount) -> list[ResultRow]:
    results = list(
        outcome.proposal_results.select_related("proposal").only(
            *[f.name for f in ProposalResult._meta.concrete_fields],
            "proposal__id",
            "proposal__title",
            # The page marks each title with the language it was written in.
            "proposal__language",
        )
    )
    most = max((r.points for r in results), default=0)
    titles = {r.proposal_id: _title(r.proposal) for r in results}
    return [
        ResultRow(
            result=r,
            votes_width=_percent(r.points, most),
            cost_width=_percent(r.cost_pence, outcome.budget_pence),
            why=reason_sentence(r, titles, outcome.left_pence),
        )
        for r in results
    ]


def turnout_by_channel(envelope: Envelope) -> list[tuple[str, int]]:
    """How many people voted online, at a polling station and on paper: counts only."""
    counts = Participation.objects.filter(envelope=envelope).aggregate(
        **{value: Count("pk", filter=Q(channel=value)) for value in Channel.values}
    )
    return [(str(label), counts[value]) for value, label in Channel.choices]


def published_rounds():
    """Every published round, the latest vote first, with its council and how many
    neighbourhoods it counted: the way in for anyone checking a count, wherever they live."""
    return (
        Round.objects.filter(phase=Phase.PUBLISHED)
        .select_related("fund__council")
        .annotate(
            neighbourhood_count=Count("envelopes__outcome"),
            ballot_total=Sum("envelopes__outcome__ballot_count"),
        )
        .order_by(Coalesce("voting_closed_at", "voting_closes_at").desc(), "-pk")
    )


def published_round(round_id: int) -> Round:
    return Round.objects.select_related("fund__council").get(pk=round_id, phase=Phase.PUBLISHED)


def round_outcomes(round_: Round) -> list[EnvelopeCount]:
    """Each neighbourhood's outcome, by the neighbourhood's name as the page shows it."""
    outcomes = (
        EnvelopeCount.objects.filter(envelope__round=round_)
        .select_related("envelope__neighbourhood")
        .annotate(funded_count=Count("proposal_results", filter=Q(proposal_results__funded=True)))
    )
    return sorted_by_name(outcomes, lambda outcome: outcome.envelope.neighbourhood.local.name)


@dataclass(frozen=True)
class EnvelopeReview:
    envelope: Envelope
    outcome: EnvelopeCount | None
    rows: list[ResultRow]

    @property
    def money_left_pence(self) -> int:
        return self.outcome.budget_pence - self.outcome.total_cost_pence if self.outcome else 0


def round_review(round_: Round) -> list[EnvelopeReview]:
    """Every envelope of the round with its count (if any) and each proposal's line, for
    officers to read before publishing. Four queries, whatever the size."""
    envelopes = list(
        Envelope.objects.filter(round=round_)
        .select_related("neighbourhood", "outcome")
        .order_by("neighbourhood__name")
    )
    results = ProposalResult.objects.filter(outcome__envelope__round=round_).select_related(
        "proposal"
    )
    by_outcome: dict[int, list[ProposalResult]] = {}
    for result in results.order_by("outcome_id", "rank"):
        by_outcome.setdefault(result.outcome_id, []).append(result)
    reviews = []
    for envelope in envelopes:
        outcome = getattr(envelope, "outcome", None)
        lines = by_outcome.get(outcome.pk, []) if outcome else []
        most = max((r.points for r in lines), default=0)
        titles = {r.proposal_id: _title(r.proposal) for r in lines}
        rows = [
            ResultRow(
                result=r,
                votes_width=_percent(r.points, most),
                cost_width=_percent(r.cost_pence, outcome.budget_pence if outcome else 0),
                why=reason_sentence(r, titles, outcome.left_pence if outcome else None),
            )
            for r in lines
        ]
        reviews.append(EnvelopeReview(envelope=envelope, outcome=outcome, rows=rows))
    return reviews


COUNTING_PACKAGE = Path(__file__).resolve().parent.parent / "counting"


def counting_source_files() -> dict[str, Path]:
    """The counting program's own files, as published for anyone to read: relative name
    (like "equalshares/run.py") -> file. Only these names can ever be served."""
    files = [*COUNTING_PACKAGE.rglob("*.py"), *COUNTING_PACKAGE.glob("*.md")]
    return {
        path.relative_to(COUNTING_PACKAGE).as_posix(): path
        for path in sorted(files)
        if "__pycache__" not in path.parts
    }
