from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.bilingual import WELSH_HELP
from budgets.models import Round
from budgets.money import PoundsField, format_pence
from neighbourhoods.scoping import (
    CouncilScopedAdmin,
    CouncilScopedHistoryAdmin,
    OfficerExportMixin,
    scope_to_council,
)
from proposals import services
from proposals.forms import MergeForm, ReasonForm
from proposals.models import DESCRIPTION_MAX, Proposal, ProposalReport, cost_within_envelope


class ProposalReviewForm(forms.ModelForm):
    """The officer's decision on one idea; saving it goes through `proposal_review`."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[
            ("", _("Keep as it is")),
            ("feasible", _("Can be done")),
            ("not_feasible", _("Cannot be done")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason (residents see this)"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )
    reason_cy = forms.CharField(
        label=_("Reason in Welsh"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=WELSH_HELP,
    )
    council_cost = PoundsField(
        label=_("The council's cost in pounds (optional)"),
        required=False,
        min_pence=1,
        help_text=_("Leave empty to keep the resident's estimate."),
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["reason"].initial = self.instance.review_reason
            self.fields["reason_cy"].initial = self.instance.review_reason_cy
            self.fields["council_cost"].initial = self.instance.adjusted_cost_pence

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "not_feasible" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give a reason when an idea cannot be done."))
        try:
            cost_within_envelope(data.get("council_cost"), self.instance.envelope)
        except ValidationError as error:
            self.add_error("council_cost", error)
        return data


class RoundFilter(admin.SimpleListFilter):
    """Rounds of the officer's own council only, so other councils' rounds stay unseen."""

    title = _("round")
    parameter_name = "round"

    def lookups(self, request, model_admin):
        rounds = scope_to_council(Round.objects.all(), request.user)
        return [(str(round_.pk), round_.name) for round_ in rounds]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(envelope__round_id=self.value())
        return queryset


@admin.register(Proposal)
class ProposalAdmin(OfficerExportMixin, CouncilScopedHistoryAdmin):
    form = ProposalReviewForm
    list_display = [
        "title",
        "neighbourhood",
        "status_shown",
        "cost",
        "council_cost",
        "hidden",
        "submitted_at",
    ]
    list_filter = ["status", "category", RoundFilter, "hidden"]
    search_fields = ["title", "summary", "description", "author__email", "resident_name"]
    list_select_related = ["envelope__neighbourhood", "envelope__round", "merged_into"]
    raw_id_fields = ["merged_into", "author", "entered_by"]
    readonly_fields = [
        "envelope",
        "status",
        "title",
        "summary",
        "description",
        "cost",
        "council_cost",
        "category",
        "author",
        "resident_name",
        "resident_email",
        "submitted_by_anchor",
        "entered_by",
        "location_description",
        "latitude",
        "longitude",
        "photo",
        "review_reason",
        "review_reason_cy",
        "hidden",
        "hidden_reason",
        "hidden_reason_cy",
        "merged_into",
        "submitted_at",
        "updated_at",
    ]
    fieldsets = [
        (
            _("The idea"),
            {
                "fields": [
                    "envelope",
                    "status",
                    "title",
                    "summary",
                    "description",
                    "cost",
                    "category",
                    "location_description",
                    ("latitude", "longitude"),
                    "photo",
                ]
            },
        ),
        (
            _("Who suggested it"),
            {
                "fields": [
                    "author",
                    "resident_name",
                    "resident_email",
                    "submitted_by_anchor",
                    "entered_by",
                    "submitted_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Review"),
            {
                "fields": [
                    ("review_reason", "review_reason_cy"),
                    "council_cost",
                    "decision",
                    ("reason", "reason_cy"),
                    "hidden",
                    ("hidden_reason", "hidden_reason_cy"),
                    "merged_into",
                ]
            },
        ),
    ]
    actions = ["mark_feasible", "mark_not_feasible", "hide", "put_on_ballot", "merge"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # The review fields are form fields, except "council_cost" which is shown read-only
        # in the list; on the change page it is an input.
        return [field for field in readonly if field != "council_cost"]

    def has_add_permission(self, request):
        return False

    def revert_refusal(self, request, obj):
        return _("An idea's review is changed by reviewing it again, not by going back.")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # A refusal raises ValidationError: the page then shows it, never "changed".
        data = form.cleaned_data
        if data.get("decision"):
            services.proposal_review(
                proposal=obj,
                officer=request.user,
                feasible=data["decision"] == "feasible",
                reason=data.get("reason", ""),
                reason_cy=data.get("reason_cy", ""),
                adjusted_cost_pence=data.get("council_cost"),
            )
        elif data.get("council_cost") != obj.adjusted_cost_pence:
            services.proposal_set_council_cost(
                proposal=obj, officer=request.user, adjusted_cost_pence=data.get("council_cost")
            )

    @admin.display(description=_("neighbourhood"), ordering="envelope__neighbourhood__name")
    def neighbourhood(self, proposal):
        return proposal.envelope.neighbourhood

    @admin.display(description=_("estimated cost"), ordering="cost_pence")
    def cost(self, proposal):
        return format_pence(proposal.cost_pence)

    @admin.display(description=_("council's cost"), ordering="adjusted_cost_pence")
    def council_cost(self, proposal):
        return format_pence(proposal.adjusted_cost_pence)

    @admin.display(description=_("status"), ordering="status")
    def status_shown(self, proposal):
        # A joined duplicate is stored as withdrawn, but the resident withdrew nothing.
        if proposal.merged_into_id:
            return _("Joined into “%(title)s”") % {"title": proposal.merged_into.title}
        return proposal.get_status_display()

    # --- Bulk actions ------------------------------------------------------------------

    def _apply(self, request, queryset, change, done_message=None) -> None:
        """Run one service per idea and report successes and refusals in plain English."""
        done = 0
        for proposal in queryset:
            try:
                change(proposal)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, " ".join(_messages(error)), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                done_message(done)
                if done_message
                else ngettext("%(count)d idea changed.", "%(count)d ideas changed.", done)
                % {"count": done},
                messages.SUCCESS,
            )

    def _intermediate(self, request, queryset, form, title):
        return self.admin_page(
            request,
            "admin/proposals/proposal/action_form.html",
            title=title,
            queryset=queryset,
            form=form,
            action=request.POST.get("action"),
            action_checkbox_name=ACTION_CHECKBOX_NAME,
        )

    def _with_reason(self, request, queryset, title, change):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reasons = form.cleaned_data["reason"], form.cleaned_data["reason_cy"]
            self._apply(request, queryset, lambda p: change(p, *reasons))
            return None
        return self._intermediate(request, queryset, form, title)

    @admin.action(description=_("Mark selected ideas as can be done"))
    def mark_feasible(self, request, queryset):
        officer = request.user
        self._apply(
            request,
            queryset,
            lambda p: services.proposal_review(
                proposal=p,
                officer=officer,
                feasible=True,
                adjusted_cost_pence=p.adjusted_cost_pence,
            ),
        )

    @admin.action(description=_("Mark selected ideas as cannot be done (with a reason)"))
    def mark_not_feasible(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            _("Why can these ideas not be done?"),
            lambda p, reason, reason_cy: services.proposal_review(
                proposal=p,
                officer=request.user,
                feasible=False,
                reason=reason,
                reason_cy=reason_cy,
                adjusted_cost_pence=p.adjusted_cost_pence,
            ),
        )

    @admin.action(description=_("Hide selected ideas (with a reason)"))
    def hide(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            _("Why are these ideas being hidden?"),
            lambda p, reason, reason_cy: services.proposal_hide(
                proposal=p, officer=request.user, reason=reason, reason_cy=reason_cy
            ),
        )

    @admin.action(description=_("Put selected ideas on the ballot"))
    def put_on_ballot(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda p: services.proposal_put_on_ballot(proposal=p, officer=request.user),
        )

    @admin.action(description=_("Join selected duplicate ideas into one"))
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, _("Choose at least two ideas to join."), messages.ERROR)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, proposals=queryset)
        if form.is_bound and form.is_valid():
            into = form.cleaned_data["into"]
            self._apply(
                request,
                queryset.exclude(pk=into.pk),
                lambda p: services.proposal_merge(duplicate=p, into=into, officer=request.user),
                lambda done: (
                    ngettext(
                        "%(count)d idea joined into “%(title)s”.",
                        "%(count)d ideas joined into “%(title)s”.",
                        done,
                    )
                    % {"count": done, "title": into.title}
                ),
            )
            return None
        return self._intermediate(request, queryset, form, _("Which idea should be kept?"))


def _messages(error) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


@admin.register(ProposalReport)
class ProposalReportAdmin(CouncilScopedAdmin):
    """Residents' reports of ideas; an officer hides the idea (on its page) if it must go."""

    list_display = ["proposal", "reason", "created_at", "dealt_with"]
    list_filter = ["dealt_with", "reason"]
    list_select_related = ["proposal"]
    search_fields = ["proposal__title", "details"]
    fields = ["proposal", "reason", "details", "created_at", "dealt_with"]
    readonly_fields = ["proposal", "reason", "details", "created_at"]

    def has_add_permission(self, request):
        return False
