from django.http import Http404
from django.shortcuts import render

from budgets.models import Round
from budgets.selectors import public_round, round_envelopes


def round_detail(request, round_id):
    try:
        round_ = public_round(round_id)
    except Round.DoesNotExist:
        raise Http404 from None
    context = {"round": round_, "envelopes": round_envelopes(round_)}
    return render(request, "budgets/round_detail.html", context)
