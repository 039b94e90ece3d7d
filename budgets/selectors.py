from django.db.models import Sum

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
    return list(
        Envelope.objects.filter(round=round_)
        .select_related("neighbourhood", "neighbourhood__council")
        .order_by("neighbourhood__name")
    )
