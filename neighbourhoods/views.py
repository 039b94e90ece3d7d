from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from budgets.selectors import envelopes_for_neighbourhood
from neighbourhoods.forms import PostcodeSearchForm
from neighbourhoods.models import Neighbourhood
from neighbourhoods.selectors import neighbourhood_for_postcode


def home(request):
    form = PostcodeSearchForm(request.GET if "postcode" in request.GET else None)
    if form.is_bound and form.is_valid():
        neighbourhood = neighbourhood_for_postcode(form.cleaned_data["postcode"])
        if neighbourhood is not None:
            return redirect(neighbourhood)
        form.add_error(
            "postcode",
            ValidationError(
                _(
                    "%(postcode)s is not in a neighbourhood taking part yet. "
                    "Check the postcode, or ask your council when your area joins."
                ),
                params={"postcode": form.cleaned_data["postcode"]},
            ),
        )
    return render(request, "neighbourhoods/home.html", {"form": form})


def neighbourhood_detail(request, council_slug, slug):
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.select_related("council"), council__slug=council_slug, slug=slug
    )
    envelopes = envelopes_for_neighbourhood(neighbourhood)
    context = {
        "neighbourhood": neighbourhood,
        "current": envelopes[0] if envelopes else None,
        "earlier": envelopes[1:],
    }
    return render(request, "neighbourhoods/detail.html", context)
