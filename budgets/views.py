from django.http import Http404
from django.shortcuts import get_object_or_404, render

from budgets.models import Round
from budgets.selectors import envelopes_by_stage, public_round, round_envelopes
from neighbourhoods.models import Neighbourhood


def round_detail(request, round_id):
    try:
        round_ = public_round(round_id)
    except Round.DoesNotExist:
        raise Http404 from None
    context = {"round": round_, "envelopes": round_envelopes(round_)}
    return render(request, "budgets/round_detail.html", context)


def neighbourhood_detail(request, council_slug, slug):
    """A neighbourhood's page: its money in each round, by stage."""
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.select_related("council"), council__slug=council_slug, slug=slug
    )
    context = {"neighbourhood": neighbourhood, "stages": envelopes_by_stage(neighbourhood)}
    return render(request, "neighbourhoods/detail.html", context)
