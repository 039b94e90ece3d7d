from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from budgets.money import format_pence
from neighbourhoods.scoping import CouncilScopedAdmin, CouncilScopedHistoryAdmin
from voting.letters import letters_for
from voting.models import VoterCodeBatch
from voting.results.models import EnvelopeCount, ProposalResult
from voting.services import voter_codes_generate


class VoterCodeBatchForm(forms.ModelForm):
    class Meta:
        model = VoterCodeBatch
        fields = ["envelope", "size"]


@admin.register(VoterCodeBatch)
class VoterCodeBatchAdmin(ExportMixin, CouncilScopedAdmin):
    """Batches of single-use voter codes. Officers see how many are used, never by whom."""

    form = VoterCodeBatchForm
    list_display = ["envelope", "size", "used", "created_at", "letters_link"]
    list_select_related = ["envelope__neighbourhood", "envelope__round"]
    raw_id_fields = ["envelope"]
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
        from django.utils.html import format_html

        url = reverse("admin:voting_votercodebatch_letters", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Print letters"))

    def get_readonly_fields(self, request, obj=None):
        return ["envelope", "size"] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            batch = voter_codes_generate(
                envelope_id=form.cleaned_data["envelope"].pk,
                size=form.cleaned_data["size"],
                created_by=request.user,
            )
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        obj.pk = batch.pk

    def response_add(self, request, obj, post_url_continue=None):
        return redirect(reverse("admin:voting_votercodebatch_letters", args=[obj.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view(self.letters_view)
        return [
            path("<path:object_id>/letters/", view, name="voting_votercodebatch_letters"),
            *super().get_urls(),
        ]

    def letters_view(self, request, object_id):
        batch = self.get_object(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "batch": batch,
            "envelope": batch.envelope,
            "letters": letters_for(batch),
            "title": _("Voter code letters"),
        }
        return TemplateResponse(request, "admin/voting/letters.html", context)


class ProposalResultInline(admin.TabularInline):
    model = ProposalResult
    fields = ["rank", "proposal", "votes", "points", "cost_pence", "funded", "reason_text"]
    readonly_fields = fields
    ordering = ["rank"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(EnvelopeCount)
class EnvelopeCountAdmin(ExportMixin, CouncilScopedHistoryAdmin):
    """Counts are made by the counting job only; officers read them here."""

    list_display = ["envelope", "rule", "ballot_count", "spent", "counted_at", "published_at"]
    list_filter = ["rule", "envelope__round"]
    list_select_related = ["envelope__round", "envelope__neighbourhood"]
    search_fields = ["envelope__neighbourhood__name", "envelope__round__name", "input_sha256"]
    raw_id_fields = ["envelope"]
    inlines = [ProposalResultInline]

    @admin.display(description=_("spent"), ordering="total_cost_pence")
    def spent(self, obj):
        return format_pence(obj.total_cost_pence)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in EnvelopeCount._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
