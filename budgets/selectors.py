from django.db.models import Sum

from accounts.bilingual import sorted_by_name
from budgets.models import Envelope, Round

Phase = Round.Phase


def envelopes_for_neighbourhood(neighbourhood) -> list[Envelope]:
    """The neighbourhood's envelopes in rounds the public can see, newest round first."""
    return list(
        Envelope.objects.filter(neighbourhood=neighbourhood)
        .exclude(round__phase=Phase.DRAFT)
        .select_related("round", "round__fund")
        .order_by("-round__voting_opens_at")
    )


def public_round(round_id: int) -> Round:
    return (
        Round.objects.exclude(phase=Phase.DRAFT)
        .select_related("fund", "fund__council")
        .annotate(envelope_total=Sum("envelopes__amount_pence"))
        .get(pk=round_id)
    )


def round_envelopes(round_: Round) -> list[Envelope]:
    """The round's envelopes by their neighbourhood's name as the page shows it."""
    envelopes = Envelope.objects.filter(round=round_).select_related(
        "neighbourhood", "neighbourhood__council"
    )
    return sorted_by_name(envelopes, lambda envelope: envelope.neighbourhood.local.name)


# What a resident can do in a round, by phase: the neighbourhood page groups by this.
STAGE_BY_PHASE: dict[str, str] = {
    Phase.VOTING_OPEN: "now",
    Phase.PROPOSALS_OPEN: "now",
    Phase.REVIEW: "next",
    Phase.VOTING_CLOSED: "next",
    Phase.COUNTED: "next",
    Phase.PUBLISHED: "results",
}
# Within "what you can do now", voting comes first: it has a deadline that matters most.
STAGE_ORDER = [Phase.VOTING_OPEN, Phase.PROPOSALS_OPEN, Phase.REVIEW, Phase.VOTING_CLOSED]


def envelopes_by_stage(neighbourhood) -> dict[str, list[Envelope]]:
    """Every public envelope of the neighbourhood, grouped by what a resident can do now:
    ``now`` (vote, suggest an idea), ``next`` (waiting for voting or the results) and
    ``results``. No live round is ever left out."""
    stages: dict[str, list[Envelope]] = {"now": [], "next": [], "results": []}
    envelopes = envelopes_for_neighbourhood(neighbourhood)
    rank: dict[str, int] = {phase: i for i, phase in enumerate(STAGE_ORDER)}
    for envelope in sorted(envelopes, key=lambda e: rank.get(e.round.phase, len(rank))):
        stages[STAGE_BY_PHASE[envelope.round.phase]].append(envelope)
    return stages
