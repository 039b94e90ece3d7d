"""Officers set up polling stations, read each session's record and decide held
declarations. Kept apart from the other apps' admin modules; scoped to the officer's
council like the rest of the admin."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from budgets.models import Round
from neighbourhoods.scoping import (
    COUNCIL_PATHS,
    CouncilScopedAdmin,
    CouncilScopedHistoryAdmin,
    ReadOnlyAdminMixin,
    may_manage_council_data,
    scope_to_council,
)
from stations import paper, paper_selectors, selectors, services
from stations.models import HeldDeclaration, PaperBatch, PollingStation, StationSession

COUNCIL_PATHS.update(
    {
        "stations.pollingstation": "round__fund__council",
        "stations.stationsession": "station__round__fund__council",
        "stations.helddeclaration": "envelope__round__fund__council",
        "stations.paperbatch": "envelope__round__fund__council",
    }
)


class PollingStationForm(forms.ModelForm):
    class Meta:
        model = PollingStation
        fields = [
            "round",
            "anchor",
            "neighbourhoods",
            "place",
            "place_cy",
            "address",
            "address_cy",
            "opens_at",
            "closes_at",
            "idle_seconds",
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        problems = services.station_setup_problems(
            round_=cleaned.get("round"),
            anchor=cleaned.get("anchor"),
            neighbourhoods=cleaned.get("neighbourhoods") or [],
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned


@admin.register(PollingStation)
class PollingStationAdmin(CouncilScopedHistoryAdmin):
    form = PollingStationForm
    list_display = [
        "place",
        "anchor",
        "round",
        "opens_at",
        "closes_at",
        "ballots",
        "refusals",
        "held",
    ]
    list_filter = ["round"]
    list_select_related = ["anchor", "round"]
    search_fields = ["place", "anchor__name"]
    filter_horizontal = ["neighbourhoods"]
    change_list_template = "admin/stations/pollingstation/change_list.html"

    def get_queryset(self, request):
        return selectors.station_figures(super().get_queryset(request))

    @admin.display(description=_("ballots"), ordering="ballots_total")
    def ballots(self, obj):
        return obj.ballots_total

    @admin.display(description=_("turned away"), ordering="refusals_total")
    def refusals(self, obj):
        return obj.refusals_total

    @admin.display(description=_("held declarations"), ordering="held_total")
    def held(self, obj):
        return obj.held_total

    def get_urls(self):
        return [
            path(
                "figures/",
                self.admin_site.admin_view(self.figures_view),
                name="stations_pollingstation_figures",
            ),
            *super().get_urls(),
        ]

    def figures_view(self, request):
        if not may_manage_council_data(request.user):
            raise PermissionDenied
        rounds = scope_to_council(
            Round.objects.select_related("fund").order_by("-voting_opens_at"), request.user
        )
        figures = selectors.round_figures(rounds[:20])
        paper_figures = paper_selectors.paper_figures_by_round([item.round.pk for item in figures])
        return self.admin_page(
            request,
            "admin/stations/figures.html",
            title=_("Votes by channel and by station"),
            figures=figures,
            paper=paper_figures,
            paper_waiting={
                round_id: [b.batch for source in sources for b in source.batches if b.waiting]
                for round_id, sources in paper_figures.items()
            },
            printable=paper.printable_envelopes(request.user),
        )


@admin.register(StationSession)
class StationSessionAdmin(ReadOnlyAdminMixin, CouncilScopedAdmin):
    """Every station session's record: what staff counted on closing beside what the
    platform recorded. Read-only: the record is the staff's and the platform's."""

    list_display = [
        "station",
        "opened_at",
        "opened_by",
        "closed_at",
        "ballots_cast",
        "reported_ballots",
        "differences",
    ]
    list_filter = ["station__round"]
    list_select_related = ["station__anchor", "opened_by"]
    readonly_fields = [
        "station",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
        "closing_note",
        "reconciliation",
        "paper_batches",
    ]
    fields = tuple(readonly_fields)

    def get_queryset(self, request):
        return selectors.with_ballots_cast(
            super().get_queryset(request).annotate(refusal_total=Count("refusals", distinct=True))
        )

    @admin.display(description=_("ballots recorded"), ordering="ballots_cast")
    def ballots_cast(self, obj):
        return obj.ballots_cast

    @admin.display(description=_("differences"))
    def differences(self, obj):
        if obj.closed_at is None:
            return _("still open")
        rows = selectors.reconciliation(obj, refusals=obj.refusal_total, cast=obj.ballots_cast)
        found = [f"{row.label}: {row.difference:+d}" for row in rows if row.difference]
        return "; ".join(found) or _("none")

    @admin.display(description=_("counts"))
    def reconciliation(self, obj):
        rows = selectors.reconciliation(obj)
        return render_to_string("admin/stations/reconciliation.html", {"rows": rows})

    @admin.display(description=_("paper ballots"))
    def paper_batches(self, obj):
        in_batches = paper.papers_in_batches(obj)
        return _(
            "%(issued)d handed out on the tablet; %(in_batches)d in this session's batches "
            "(not counting withdrawn batches)."
        ) % {"issued": obj.papers_issued_recorded, "in_batches": in_batches}


@admin.register(HeldDeclaration)
class HeldDeclarationAdmin(ReadOnlyAdminMixin, CouncilScopedAdmin):
    """Declarations that might be someone who already voted. An officer approves (the
    sealed ballot joins the count) or rejects (it never does); the officer never sees
    the ballot itself."""

    list_display = ["held_at", "status", "station", "name", "postcode", "why_held", "checked_by"]
    list_filter = ["status", "envelope__round"]
    list_select_related = ["session__station", "checked_by"]
    readonly_fields = [
        "status",
        "held_at",
        "station",
        "envelope",
        "name",
        "postcode",
        "date_of_birth",
        "checked_by",
        "why_held",
        "possible_match",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    fields = tuple(readonly_fields)
    # Decisions are final and erase the declared details, so each is taken on its own
    # page with a confirmation (and a reason when rejecting), never as a bulk action.
    actions = None
    change_form_template = "admin/stations/helddeclaration/change_form.html"

    @admin.display(description=_("station"))
    def station(self, obj):
        return obj.session.station

    @admin.display(description=_("may be the same person as"))
    def possible_match(self, obj):
        return render_to_string(
            "admin/stations/helddeclaration/matches.html",
            {"held": obj, "matches": selectors.held_matches(obj)},
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/decide/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="stations_helddeclaration_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, object_id, decision):
        held = self.get_object(request, object_id)
        if held is None or decision not in ("approve", "reject"):
            raise Http404
        if not may_manage_council_data(request.user):
            raise PermissionDenied
        approve = decision == "approve"
        form = HeldDecisionForm(request.POST or None)
        back = redirect(reverse("admin:stations_helddeclaration_change", args=[held.pk]))
        if request.method == "POST" and form.is_valid():
            try:
                services.held_declaration_decide(
                    held_id=held.pk,
                    officer=request.user,
                    approve=approve,
                    note=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                    return back
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Approved: their ballot is counted.")
                    if approve
                    else _("Rejected: their ballot will not be counted."),
                    messages.SUCCESS,
                )
                return back
        return self.admin_page(
            request,
            "admin/stations/helddeclaration/decide.html",
            title=_("Approve this declaration?") if approve else _("Reject this declaration?"),
            original=held,
            approve=approve,
            form=form,
            matches=selectors.held_matches(held),
        )


class HeldDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


@admin.register(PaperBatch)
class PaperBatchAdmin(ReadOnlyAdminMixin, CouncilScopedAdmin):
    """Paper ballot batches and where each stands. Keyed and decided on the paper ballot
    pages (linked above the list), never here: this is the record."""

    list_display = ["__str__", "envelope", "status", "papers", "created_by", "decided_by"]
    list_filter = ["status", "envelope__round"]
    list_select_related = ["envelope__neighbourhood", "session__station", "created_by"]
    readonly_fields = [
        "envelope",
        "session",
        "postal_return",
        "papers",
        "status",
        "created_by",
        "created_at",
        "decided_by",
        "decided_at",
        "checked_at",
        "decision_note",
    ]
    fields = tuple(readonly_fields)
    change_list_template = "admin/stations/paperbatch/change_list.html"
    change_form_template = "admin/stations/paperbatch/change_form.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="stations_paperbatch_withdraw",
            ),
            *super().get_urls(),
        ]

    def withdraw_view(self, request, object_id):
        """Withdraw a batch: a confirmation page asking why, then the service's rules."""
        batch = self.get_object(request, object_id)
        if batch is None:
            raise Http404
        if not may_manage_council_data(request.user):
            raise PermissionDenied
        form = WithdrawBatchForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                paper.batch_withdraw(batch_id=batch.pk, officer=request.user, reason=reason)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, batch, _("Withdrawn: %(reason)s") % {"reason": reason})
                self.message_user(
                    request,
                    _("Batch %(batch)s is withdrawn: none of its papers will be counted.")
                    % {"batch": batch},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:stations_paperbatch_change", args=[batch.pk]))
        return self.admin_page(
            request,
            "admin/stations/paperbatch/withdraw.html",
            title=_("Withdraw batch %(batch)s?") % {"batch": batch},
            original=batch,
            form=form,
        )


class WithdrawBatchForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this batch withdrawn? (required)"),
        help_text=_("The reason is kept with the batch and shown in its history."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


# Offline ballots refused when they arrived: their admin lives with the offline path.
from stations import offline_admin  # noqa: E402, F401
