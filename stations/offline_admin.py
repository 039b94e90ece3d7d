"""Officers see every ballot a tablet kept offline that was refused when it arrived,
and decide each: accept (counted, if the register's rules allow it now) or reject with
a reason. Imported by ``stations.admin``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from neighbourhoods.scoping import COUNCIL_PATHS, CouncilScopedAdmin
from stations import offline
from stations.models import OfflineBallot

COUNCIL_PATHS["stations.offlineballot"] = "session__station__round__fund__council"


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why are these ballots rejected?"),
        help_text=_("Staff at the station see this reason."),
        widget=forms.Textarea,
        max_length=2000,
    )


@admin.register(OfflineBallot)
class OfflineBallotAdmin(CouncilScopedAdmin):
    list_display = [
        "arrived_at",
        "outcome",
        "decision",
        "station",
        "session_state",
        "method",
        "why_refused",
    ]
    list_filter = ["decision", "outcome", "session__station__round"]
    list_select_related = ["session__station__anchor"]
    fields = (
        "outcome",
        "decision",
        "arrived_at",
        "station",
        "session_state",
        "envelope",
        "method",
        "why_refused",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    readonly_fields = fields
    actions = ["accept", "reject"]

    @admin.display(description=_("station"))
    def station(self, obj):
        return obj.session.station

    # Tablets usually sync the next morning: a closed session does not stop a decision.
    @admin.display(description=_("station session"))
    def session_state(self, obj):
        if obj.session.closed_at is None:
            return _("still open")
        closed = date_format(timezone.localtime(obj.session.closed_at), "j M Y H:i")
        return _("closed at %(time)s") % {"time": closed}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, *, accept: bool, note: str = "") -> None:
        done = 0
        for ballot in queryset:
            try:
                offline.offline_ballot_decide(
                    offline_id=ballot.pk, officer=request.user, accept=accept, note=note
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{ballot}: {' '.join(error.messages)}", level=messages.ERROR
                )
            else:
                done += 1
        if done:
            message = (
                _("%(n)d accepted: their ballots are counted.")
                if accept
                else _("%(n)d rejected: their ballots will not be counted.")
            )
            self.message_user(request, message % {"n": done}, level=messages.SUCCESS)

    @admin.action(description=_("Accept: count these ballots"), permissions=["view"])
    def accept(self, request, queryset):
        self._decide(request, queryset, accept=True)

    @admin.action(description=_("Reject: do not count these ballots"), permissions=["view"])
    def reject(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._decide(request, queryset, accept=False, note=form.cleaned_data["note"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Reject offline ballots"),
            "ballots": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/stations/offline_reject.html", context)
