"""The round admin's "Count now" and "Review and publish results" actions.

Rounds belong to budgets, counting and publishing to voting; budgets must not import
voting, so voting adds these actions to the round's admin when the app is ready.
"""

import logging

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from budgets.admin import RoundAdmin
from budgets.models import Round
from config.events import record_refusal
from voting.results import holds
from voting.results.services import round_count_request

logger = logging.getLogger(__name__)


def _for_each_round(modeladmin, request, queryset, service, done) -> None:
    for round_ in queryset:
        try:
            service(round_id=round_.pk)
        except ValidationError as error:
            record_refusal(
                logger, action=f"admin.{service.__name__}", error=error, round_id=round_.pk
            )
            modeladmin.message_user(
                request, f"{round_.name}: {' '.join(error.messages)}", messages.ERROR
            )
        else:
            modeladmin.message_user(request, f"{round_.name}: {done}.")


@admin.action(description=_("Count now (counts only envelopes not yet counted)"))
def count_now_action(modeladmin, request, queryset):
    _for_each_round(modeladmin, request, queryset, round_count_request, _("Counting started"))


@admin.action(description=_("Review and publish results"))
def publish_results_action(modeladmin, request, queryset):
    if queryset.count() != 1:
        message = _("Choose exactly one round to review and publish its results.")
        modeladmin.message_user(request, message, messages.WARNING)
        return None
    # Results are published from their review page only, after reading them.
    return redirect(reverse("admin:voting_round_results", args=[queryset.get().pk]))


def register(site: admin.AdminSite = admin.site) -> None:
    """Add the actions to the registered round admin (admin autodiscovery has run)."""
    round_admin = site.get_model_admin(Round)
    round_admin.actions = [*(round_admin.actions or ()), count_now_action, publish_results_action]
    # Officers closing voting are told what the count will wait for (budgets' RoundAdmin).
    assert isinstance(round_admin, RoundAdmin)
    round_admin.count_holds_for = holds.count_holds
