from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from budgets.models import Round
from budgets.money import format_pence
from neighbourhoods.scoping import (
    CouncilScopedAdmin,
    CouncilScopedHistoryAdmin,
    OfficerExportMixin,
    ReadOnlyAdminMixin,
    may_manage_council_data,
    scope_to_council,
)
from voting.letters import letters_csv, letters_request
from voting.models import VoterCodeBatch
from voting.results.models import EnvelopeCount, ProposalResult
from voting.results.selectors import round_review
from voting.results.services import envelopes_with_few_ballots, round_publish
from voting.services import VOTER_CODES_MAX, voter_codes_generate


class VoterCodeBatchForm(forms.ModelForm):
    class Meta:
        model = VoterCodeBatch
        fields = ["envelope", "size"]
        help_texts = {"size": _("How many letters to print: one code per household.")}

    def clean_size(self):
        size = self.cleaned_data["size"]
        if not 1 <= size <= VOTER_CODES_MAX:
            raise forms.ValidationError(
                _("Make between 1 and %(most)s codes at a time.") % {"most": f"{VOTER_CODES_MAX:,}"}
            )
        return size


@admin.register(VoterCodeBatch)
class VoterCodeBatchAdmin(OfficerExportMixin, CouncilScopedAdmin):
    """Batches of single-use voter codes. Officers see how many are used, never by whom."""

    form = VoterCodeBatchForm
    list_display = ["envelope", "size", "used", "created_at", "letters_link"]
    list_select_related = ["envelope__neighbourhood", "envelope__round"]
    list_filter = [("envelope__round", admin.RelatedOnlyFieldListFilter)]
    autocomplete_fields = ["envelope"]
    search_fields = ["envelope__neighbourhood__name", "envelope__round__name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(used_total=Count("codes", filter=Q(codes__used_by__isnull=False)))
        )

    @admin.display(description=_("codes used"), ordering="used_total")
    def used(self, obj):
        return obj.used_total

    @admin.display(description=_("letters"))
    def letters_link(self, obj):
        url = reverse("admin:voting_votercodebatch_letters", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Print letters"))

    def get_readonly_fields(self, request, obj=None):
        return ["envelope", "size"] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        batch = voter_codes_generate(
            envelope_id=form.cleaned_data["envelope"].pk,
            size=form.cleaned_data["size"],
            created_by=request.user,
        )
        obj.pk = batch.pk

    def response_add(self, request, obj, post_url_continue=None):
        letters_request(batch_id=obj.pk)
        return redirect(reverse("admin:voting_votercodebatch_letters", args=[obj.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/letters/",
                view(self.letters_view),
                name="voting_votercodebatch_letters",
            ),
            path(
                "<path:object_id>/letters.pdf",
                view(self.letters_pdf_view),
                name="voting_votercodebatch_letters_pdf",
            ),
            path(
                "<path:object_id>/letters.csv",
                view(self.letters_csv_view),
                name="voting_votercodebatch_letters_csv",
            ),
            *super().get_urls(),
        ]

    def letters_view(self, request, object_id):
        """How far the letters have got, and the files once they are ready. Refreshes
        itself while the letters are being made (no JavaScript needed)."""
        batch = self.get_object(request, object_id)
        if request.method == "POST":
            letters_request(batch_id=batch.pk)
            return redirect(request.path)
        return self.admin_page(
            request,
            "admin/voting/letters.html",
            title=_("Voter code letters"),
            batch=batch,
            envelope=batch.envelope,
            making=bool(batch.letters_requested_at and not batch.letters_pdf),
        )

    def letters_pdf_view(self, request, object_id):
        batch = self.get_object(request, object_id)
        if not batch.letters_pdf:
            raise Http404
        name = f"voter-code-letters-{slugify(batch.envelope.neighbourhood.name)}-{batch.pk}.pdf"
        return FileResponse(batch.letters_pdf.open("rb"), as_attachment=True, filename=name)

    def letters_csv_view(self, request, object_id):
        batch = self.get_object(request, object_id)
        response = StreamingHttpResponse(letters_csv(batch), content_type="text/csv")
        name = f"voter-codes-{slugify(batch.envelope.neighbourhood.name)}-{batch.pk}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ProposalResultInline(admin.TabularInline):
    model = ProposalResult
    fields = ("rank", "proposal", "votes", "points", "cost_pence", "funded", "reason_text")
    readonly_fields = fields
    ordering = ["rank"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EnvelopeCount)
class EnvelopeCountAdmin(ReadOnlyAdminMixin, OfficerExportMixin, CouncilScopedHistoryAdmin):
    """Counts are made by the counting job only; officers read them here."""

    list_display = ["envelope", "rule", "ballot_count", "spent", "counted_at", "published_at"]
    list_filter = ["rule", ("envelope__round", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["envelope__round", "envelope__neighbourhood"]
    search_fields = ["envelope__neighbourhood__name", "envelope__round__name", "input_sha256"]
    raw_id_fields = ["envelope"]
    inlines = [ProposalResultInline]

    @admin.display(description=_("spent"), ordering="total_cost_pence")
    def spent(self, obj):
        return format_pence(obj.total_cost_pence)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in EnvelopeCount._meta.concrete_fields]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("round/<int:round_id>/", view(self.review_view), name="voting_round_results"),
            path(
                "round/<int:round_id>/publish/",
                view(self.publish_view),
                name="voting_round_publish",
            ),
            *super().get_urls(),
        ]

    def _round(self, request, round_id) -> Round:
        if not self.has_view_permission(request):
            raise PermissionDenied
        round_ = scope_to_council(Round.objects.select_related("fund"), request.user)
        round_ = round_.filter(pk=round_id).first()
        if round_ is None:
            raise Http404
        return round_

    def review_view(self, request, round_id):
        """Every envelope's outcome in plain English, for officers to check before
        residents see it; publishing is confirmed from here."""
        round_ = self._round(request, round_id)
        return self.admin_page(
            request,
            "admin/voting/round_results.html",
            title=_("Results of “%(name)s”") % {"name": round_.name},
            opts=Round._meta,
            original=round_,
            reviews=round_review(round_),
            can_publish=round_.phase == Round.Phase.COUNTED,
            few_ballots=(few := envelopes_with_few_ballots(round_id=round_.pk)),
            few_ballot_envelope_ids=[outcome.envelope_id for outcome in few],
            few_ballots_threshold=settings.FEW_BALLOTS_THRESHOLD,
        )

    def publish_view(self, request, round_id):
        round_ = self._round(request, round_id)
        if request.method != "POST" or not may_manage_council_data(request.user):
            raise PermissionDenied
        try:
            round_publish(
                round_id=round_.pk,
                few_ballots_accepted=[
                    int(i) for i in request.POST.getlist("few_ballots_accepted") if i.isdigit()
                ],
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(reverse("admin:voting_round_results", args=[round_.pk]))
        self.message_user(
            request,
            _("The results of “%(name)s” are published: residents can see them now.")
            % {"name": round_.name},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:voting_round_results", args=[round_.pk]))
