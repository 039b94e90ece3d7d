from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.postcodes import outward_code
from neighbourhoods.forms import PostcodeSearchForm
from neighbourhoods.models import Council
from neighbourhoods.selectors import neighbourhood_for_postcode, neighbourhoods_in_district


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
    district = outward_code(request.GET.get("postcode", "")) if form.errors else None
    in_district = neighbourhoods_in_district(district) if district else []
    context = {"form": form, "district": district, "in_district": in_district}
    return render(request, "neighbourhoods/home.html", context)


def neighbourhood_mine(request):
    """The signed-in resident's own neighbourhood, by their home postcode; sign-in lands here."""
    postcode = request.user.home_postcode if request.user.is_authenticated else ""
    neighbourhood = neighbourhood_for_postcode(postcode) if postcode else None
    if neighbourhood is not None:
        return redirect(neighbourhood)
    if postcode:
        messages.info(
            request,
            _(
                "Your home postcode, %(postcode)s, is not in any neighbourhood taking part, so "
                "you cannot suggest ideas or vote. If it is wrong, change it in Your details."
            )
            % {"postcode": postcode},
        )
    return redirect("home")


def privacy(request):
    councils = Council.objects.exclude(data_controller="", data_controller_cy="")
    return render(request, "pages/privacy.html", {"councils": councils})


def accessibility(request):
    return render(request, "pages/accessibility.html", {"councils": Council.objects.all()})
