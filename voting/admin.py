from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from budgets.money import format_pence
from neighbourhoods.scoping import CouncilScopedHistoryAdmin
from voting.results.models import EnvelopeCount, ProposalResult


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
class EnvelopeCountAdmin(CouncilScopedHistoryAdmin):
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
