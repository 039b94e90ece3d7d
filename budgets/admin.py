from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from budgets import phases
from budgets.models import Envelope, Fund, Round
from budgets.money import PoundsField, format_pence
from budgets.services import (
    envelope_check,
    envelope_save,
    envelopes_split,
    envelopes_split_preview,
    round_advance,
)
from budgets.splitting import SplitMethod
from neighbourhoods.models import Neighbourhood
from neighbourhoods.scoping import CouncilScopedHistoryAdmin


@admin.register(Fund)
class FundAdmin(ExportMixin, CouncilScopedHistoryAdmin):
    list_display = ["name", "council", "total"]
    list_filter = ["council"]
    list_select_related = ["council"]
    search_fields = ["name", "source"]
    autocomplete_fields = ["council"]

    @admin.display(description=_("total"), ordering="total_pence")
    def total(self, obj):
        return format_pence(obj.total_pence)


class SplitForm(forms.Form):
    method = forms.ChoiceField(label=_("How to split"), choices=SplitMethod.choices)
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods"),
        queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    amount = PoundsField(label=_("Amount to split, in pounds"), min_pence=1)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(
            council_id=round_.fund.council_id
        )


@admin.register(Round)
class RoundAdmin(ExportMixin, CouncilScopedHistoryAdmin):
    list_display = [
        "name",
        "fund",
        "phase",
        "voting_opens_at",
        "voting_closes_at",
        "envelope_total",
        "envelope_count",
    ]
    list_filter = ["phase", "ballot_rule", "counting_rule", "fund__council"]
    list_select_related = ["fund", "fund__council"]
    search_fields = ["name", "fund__name"]
    raw_id_fields = ["fund"]
    prepopulated_fields = {"slug": ["name"]}
    change_form_template = "admin/budgets/round/change_form.html"
    # voting.results.admin_actions adds "Count now" and "Publish results".
    actions = ["split_fund_action"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                envelope_sum=Sum("envelopes__amount_pence"), envelope_number=Count("envelopes")
            )
        )

    @admin.display(description=_("envelopes add up to"), ordering="envelope_sum")
    def envelope_total(self, obj):
        return format_pence(obj.envelope_sum or 0)

    @admin.display(description=_("envelopes"), ordering="envelope_number")
    def envelope_count(self, obj):
        return obj.envelope_number

    def get_readonly_fields(self, request, obj=None):
        readonly = ["phase"]
        if obj is not None and Round.rules_locked(obj.phase):
            readonly += Round.RULE_FIELDS
        return readonly

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/advance/", view(self.advance_view), name="budgets_round_advance"
            ),
            path("<path:object_id>/split/", view(self.split_view), name="budgets_round_split"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        round_ = self.get_object(request, object_id)
        following = phases.next_phase(round_.phase)
        extra_context = {
            **(extra_context or {}),
            "next_phase": None if following in phases.COUNTING_PHASES else following,
            "next_phase_label": Round.Phase(following).label if following else "",
            "envelopes": round_.envelopes.select_related("neighbourhood"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def advance_view(self, request, object_id):
        round_ = self.get_object(request, object_id)
        if request.method != "POST" or not self.has_change_permission(request, round_):
            raise PermissionDenied
        try:
            moved = round_advance(round_id=round_.pk, to_phase=request.POST.get("to_phase", ""))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("The round is now in the phase “%(phase)s”.")
                % {"phase": moved.get_phase_display()},
            )
        return redirect(reverse("admin:budgets_round_change", args=[round_.pk]))

    @admin.action(description=_("Split the fund into envelopes"))
    def split_fund_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Choose exactly one round to split its fund."), messages.WARNING
            )
            return None
        return redirect(reverse("admin:budgets_round_split", args=[queryset.get().pk]))

    def split_view(self, request, object_id):
        round_ = self.get_object(request, object_id)
        if not self.has_change_permission(request, round_):
            raise PermissionDenied
        initial = {
            "method": SplitMethod.NEED,
            "neighbourhoods": list(Neighbourhood.objects.filter(council_id=round_.fund.council_id)),
            "amount": round_.fund.total_pence,
        }
        form = SplitForm(
            request.POST if request.method == "POST" else None, initial=initial, round_=round_
        )
        preview = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if "confirm" in request.POST:
                    envelopes_split(
                        round_id=round_.pk,
                        method=data["method"],
                        neighbourhood_ids=[n.pk for n in data["neighbourhoods"]],
                        amount_pence=data["amount"],
                    )
                    self.message_user(request, _("The envelopes are saved."))
                    return redirect(reverse("admin:budgets_round_change", args=[round_.pk]))
                preview = envelopes_split_preview(
                    round_=round_,
                    method=data["method"],
                    neighbourhoods=list(data["neighbourhoods"]),
                    amount_pence=data["amount"],
                )
            except ValidationError as error:
                form.add_error(None, error)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": round_,
            "title": _("Split the fund into envelopes: %(name)s") % {"name": round_.name},
            "form": form,
            "preview": [(share, format_pence(share.amount_pence)) for share in preview or []],
            "preview_total": format_pence(sum(s.amount_pence for s in preview or [])),
            "fund_total": format_pence(round_.fund.total_pence),
        }
        return TemplateResponse(request, "admin/budgets/round/split.html", context)


class EnvelopeForm(forms.ModelForm):
    amount = PoundsField(label=_("Amount in pounds"), min_pence=0)

    class Meta:
        model = Envelope
        fields = ["round", "neighbourhood"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["amount"] = self.instance.amount_pence

    def clean(self):
        cleaned = super().clean()
        round_, neighbourhood, amount = (
            cleaned.get("round"),
            cleaned.get("neighbourhood"),
            cleaned.get("amount"),
        )
        if round_ and neighbourhood and amount is not None:
            try:
                envelope_check(
                    round_=round_,
                    neighbourhood=neighbourhood,
                    amount_pence=amount,
                    envelope_id=self.instance.pk,
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Envelope)
class EnvelopeAdmin(ExportMixin, CouncilScopedHistoryAdmin):
    form = EnvelopeForm
    list_display = ["neighbourhood", "round", "amount"]
    list_filter = ["round__fund__council", "round"]
    list_select_related = ["neighbourhood", "round"]
    search_fields = ["neighbourhood__name", "round__name"]
    raw_id_fields = ["round", "neighbourhood"]

    @admin.display(description=_("amount"), ordering="amount_pence")
    def amount(self, obj):
        return format_pence(obj.amount_pence)

    def save_model(self, request, obj, form, change):
        saved = envelope_save(
            round_id=form.cleaned_data["round"].pk,
            neighbourhood_id=form.cleaned_data["neighbourhood"].pk,
            amount_pence=form.cleaned_data["amount"],
            envelope_id=obj.pk,
        )
        obj.pk, obj.amount_pence = saved.pk, saved.amount_pence
