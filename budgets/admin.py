from collections.abc import Callable
from dataclasses import replace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Count, Sum
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from budgets import phases, services
from budgets.models import Envelope, Fund, Round
from budgets.money import PoundsField, format_pence
from budgets.services import (
    envelope_check,
    envelope_save,
    envelopes_split,
    envelopes_split_preview,
    round_advance,
)
from budgets.splitting import Share, SplitMethod
from neighbourhoods.models import Neighbourhood
from neighbourhoods.scoping import CouncilScopedHistoryAdmin, ModelAdminBase, OfficerExportMixin


class FundForm(forms.ModelForm):
    total = PoundsField(
        label=_("Total in pounds"),
        min_pence=1,
        help_text=_("All the money in the fund, for every round. For example 250,000."),
    )

    class Meta:
        model = Fund
        fields = ["council", "name", "name_cy", "source", "source_cy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["total"] = self.instance.total_pence

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk and cleaned.get("total") is not None:
            stored = Fund.objects.get(pk=self.instance.pk)
            stored.total_pence = cleaned["total"]
            try:
                services.fund_check_total(fund=stored)
            except ValidationError as error:
                self.add_error("total", error)
        return cleaned


class SharedRefusals(ModelAdminBase):
    """The refusals funds, rounds and envelopes share, from budgets.services."""

    def revert_refusal(self, request, obj):
        return services.revert_refusal(obj)

    def delete_refusal(self, obj) -> str | None:
        return None

    # Refused before Django's delete page, which would otherwise lead with the related
    # rows the officer may not delete (a published round's proposals and counts), as if
    # permission were the reason.
    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        reason = self.delete_refusal(obj) if obj is not None else None
        if obj is None or reason is None:
            return super().delete_view(request, object_id, extra_context)
        self.message_user(request, reason, messages.ERROR)
        opts = self.model._meta
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if (chosen := actions.get("delete_selected")) is not None:
            actions["delete_selected"] = replace(chosen, func=_delete_selected_unless_refused)
        return actions


def _delete_selected_unless_refused(modeladmin, request, queryset):
    """Django's "Delete selected", refused with the same reasons as one delete when any
    of the chosen may not be deleted: then none is."""
    refusals = [reason for obj in queryset if (reason := modeladmin.delete_refusal(obj))]
    if refusals:
        modeladmin.message_user(request, " ".join(refusals), messages.ERROR)
        return None
    return delete_selected(modeladmin, request, queryset)


@admin.register(Fund)
class FundAdmin(SharedRefusals, OfficerExportMixin, CouncilScopedHistoryAdmin):
    form = FundForm
    list_display = ["name", "council", "total"]
    list_filter = [("council", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["council"]
    search_fields = ["name", "source"]
    autocomplete_fields = ["council"]

    @admin.display(description=_("total"), ordering="total_pence")
    def total(self, obj):
        return format_pence(obj.total_pence)

    def get_fields(self, request, obj=None):
        fields = ["council", ("name", "name_cy"), "total", ("source", "source_cy")]
        # An officer's funds are always their own council's.
        return fields if request.user.is_superuser else fields[1:]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        council_id = data["council"].pk if "council" in data else request.user.council_id
        saved = services.fund_save(
            council_id=council_id,
            name=data["name"],
            name_cy=data.get("name_cy", ""),
            total_pence=data["total"],
            source=data.get("source", ""),
            source_cy=data.get("source_cy", ""),
            fund_id=obj.pk,
        )
        obj.pk, obj.council_id, obj.total_pence = saved.pk, saved.council_id, saved.total_pence


class SplitForm(forms.Form):
    method = forms.ChoiceField(label=_("How to split"), choices=SplitMethod.choices)
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Neighbourhoods"),
        queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    amount = PoundsField(label=_("Amount to split, in pounds"), min_pence=1)

    def __init__(self, data=None, *, round_):
        councils = Neighbourhood.objects.filter(council_id=round_.fund.council_id)
        # By need, across every neighbourhood of the council, the whole fund.
        initial = {
            "method": SplitMethod.NEED,
            "neighbourhoods": list(councils),
            "amount": round_.fund.total_pence,
        }
        super().__init__(data, initial=initial)
        field = self.fields["neighbourhoods"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = councils


def _smallest(model_field) -> MinValueValidator | None:
    return next((v for v in model_field.validators if isinstance(v, MinValueValidator)), None)


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "fund",
            "name",
            "name_cy",
            "slug",
            "proposals_open_at",
            "review_starts_at",
            "voting_opens_at",
            "voting_closes_at",
            *Round.RULE_FIELDS,
            "publish_automatically",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A positive-number field's form field refuses a number below 0 in Django's words
        # ("Ensure this value is greater than or equal to 0."): each takes its smallest
        # number and plain message from the model field instead.
        for name, field in self.fields.items():
            least = _smallest(Round._meta.get_field(name))
            if isinstance(field, forms.IntegerField) and least is not None:
                others = [v for v in field.validators if not isinstance(v, MinValueValidator)]
                field.min_value, field.validators = least.limit_value, [*others, least]
                field.widget.attrs["min"] = least.limit_value

    def validate_constraints(self):
        # Django skips every constraint that names a field left off the form, and the
        # admin leaves read-only fields off it: a date out of order with a read-only one
        # reached the database, and a 500. The instance holds the stored value of each
        # read-only field, so each constraint is checked on the round as it would be saved,
        # leaving out only fields the form has already refused.
        for constraint in Round._meta.constraints:
            try:
                constraint.validate(Round, self.instance, exclude=set(self.errors))
            except ValidationError as error:
                self.add_error(self._field_for(constraint.name), error)

    def _field_for(self, constraint_name: str) -> str | None:
        """The field to show a constraint's message beside (None: above the form)."""
        about = [f for f in Round.CONSTRAINT_FIELDS.get(constraint_name, ()) if f in self.fields]
        changed = [f for f in about if f in self.changed_data]
        chosen = changed or about
        return chosen[-1] if chosen else None

    # Runs once the form has updated the instance; django-stubs leaves this hook undeclared.
    def _post_clean(self):
        super()._post_clean()  # type: ignore[misc]
        if self.instance.pk and not self.errors:
            try:
                services.round_check_change(round_=self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class RuleChoices(widgets.AdminRadioSelect):
    """The counting rules as radio buttons. The admin ties a field's help text to it by the
    id its label points at, which a radio group leaves empty (its legend points at no one
    button), so the group's fieldset was described by "_helptext", an id nothing has. The
    group's own id names both instead."""

    def id_for_label(self, id_, index=None):
        return id_ if index is None else super().id_for_label(id_, index)


def _rule_label(value: str, name, sentence, *, choosing=True):
    """A counting rule as officers read it: its name in bold (marked, where the officer is
    choosing, when it is the platform's recommended rule), its sentence below as hint
    text."""
    recommended = choosing and value == Round._meta.get_field("counting_rule").get_default()
    return format_html(
        '<strong class="nd-rule-name">{}</strong>{} <span class="nd-rule-hint">{}</span>',
        name,
        format_html(' <span class="nd-rule-tag">{}</span>', _("recommended"))
        if recommended
        else "",
        sentence,
    )


@admin.register(Round)
class RoundAdmin(SharedRefusals, OfficerExportMixin, CouncilScopedHistoryAdmin):
    form = RoundForm
    # What holds a round's count (paper batches not yet checked, for one): a function of
    # round_id giving sentences, set by voting when it registers its actions (budgets
    # cannot import it). Officers closing voting are told what the count waits for.
    count_holds_for: Callable[..., list[str]] | None = None

    def count_holds(self, round_) -> list[str]:
        return self.count_holds_for(round_id=round_.pk) if self.count_holds_for else []

    list_display = [
        "name",
        "fund",
        "phase",
        "voting_opens",
        "voting_closes_at",
        "envelope_total",
        "envelope_count",
    ]
    list_filter = [
        "phase",
        "ballot_rule",
        "counting_rule",
        ("fund", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["fund", "fund__council"]
    search_fields = ["name", "fund__name"]
    autocomplete_fields = ["fund"]
    prepopulated_fields = {"slug": ["name"]}
    change_form_template = "admin/budgets/round/change_form.html"
    # voting.results.admin_actions adds "Count now" and "Publish results".
    actions = ["split_fund_action"]

    def delete_refusal(self, obj):
        return services.round_delete_refusal(obj)

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

    @admin.display(description=_("voting opens"), ordering="voting_opens_at")
    def voting_opens(self, obj):
        opened = obj.voting_opened_at
        if opened is None:
            return formats.localize(timezone.localtime(obj.voting_opens_at))
        if opened < obj.voting_opens_at:
            return _("Opened early on %(date)s (planned for %(planned)s)") % {
                "date": formats.localize(timezone.localtime(opened)),
                "planned": formats.localize(timezone.localtime(obj.voting_opens_at)),
            }
        return _("Opened on %(date)s") % {"date": formats.localize(timezone.localtime(opened))}

    @admin.display(description=_("envelopes"), ordering="envelope_number")
    def envelope_count(self, obj):
        return obj.envelope_number

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "counting_rule" in form.base_fields:
            field = form.base_fields["counting_rule"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (value, _rule_label(value, name, sentence))
                for value, name, sentence in (obj or Round()).counting_rule_choices_explained()
            ]
            field.widget = RuleChoices(
                attrs={"class": "radiolist nd-rule-choices"}, choices=field.choices
            )
        return form

    # The dates in their order, fixed or not, each plan followed by what happened.
    DATE_ROWS = [
        "proposals_open_at",
        "review_starts_at",
        "voting_opens_at",
        "voting_opens",
        "voting_closes_at",
        "voting_closed_at",
    ]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        # Past the draft the rule is shown with its sentence, not its name alone.
        if "counting_rule_explained" in fields:
            fields = [f for f in fields if f != "counting_rule_explained"]
            fields[fields.index("counting_rule")] = "counting_rule_explained"
        dates = [f for f in self.DATE_ROWS if f in fields]
        rest = [f for f in fields if f not in dates and f != "dates_fixed"]
        if "dates_fixed" in fields:
            # Why the fixed dates are, after them and before any date still to come.
            fixed = Round.fixed_dates(obj.phase)
            to_come = [f for f in Round.PHASE_DATES.values() if f in dates and f not in fixed]
            dates.insert(dates.index(to_come[0]) if to_come else len(dates), "dates_fixed")
        at = rest.index("slug") + 1 if "slug" in rest else 0
        return [*rest[:at], *dates, *rest[at:]]

    @admin.display(description=_("fixed dates"))
    def dates_fixed(self, obj):
        reason = _("The date of a phase that has begun cannot change: it is on the round's record.")
        if len(Round.fixed_dates(obj.phase)) == len(Round.PHASE_DATES):
            return reason
        return format_html("{} {}", reason, _("Later dates can still move, to extend a deadline."))

    @admin.display(description=_("counting rule"))
    def counting_rule_explained(self, obj):
        return format_html(
            '{}<span class="nd-rule-hint nd-rule-locked">{}</span>',
            _rule_label(
                obj.counting_rule,
                obj.get_counting_rule_display(),
                obj.counting_rule_sentence,
                choosing=False,
            ),
            _(
                "The rule cannot change once a round has left its draft: residents were "
                "told how their votes would be counted. To count another way, start a "
                "new round."
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["phase"]
        if obj is None:
            return readonly
        if Round.rules_locked(obj.phase):
            readonly += ["fund", *Round.RULE_FIELDS, "counting_rule_explained"]
        if fixed := Round.fixed_dates(obj.phase):
            readonly += [*fixed, "dates_fixed"]
        if obj.voting_opened_at is not None:
            readonly += ["voting_opens"]
        if obj.voting_closed_at is not None:
            readonly += ["voting_closed_at"]
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
        by_hand = following not in (*phases.COUNTING_PHASES, Round.Phase.PUBLISHED)
        counting = round_.phase == Round.Phase.VOTING_CLOSED
        extra_context = {
            **(extra_context or {}),
            "next_phase": following if by_hand else None,
            "next_phase_label": Round.Phase(following).label if following else "",
            "envelopes": round_.envelopes.select_related("neighbourhood"),
            "has_results": round_.phase in (Round.Phase.COUNTED, Round.Phase.PUBLISHED),
            "counting": counting,
            "count_holds": self.count_holds(round_) if counting else [],
            # Past its draft a round is kept: no "Delete" link that can only be refused.
            "show_delete": self.delete_refusal(round_) is None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def advance_view(self, request, object_id):
        round_ = self.get_object(request, object_id)
        if request.method != "POST" or not self.has_change_permission(request, round_):
            raise PermissionDenied
        to_phase = request.POST.get("to_phase", "")
        if (
            to_phase == Round.Phase.VOTING_CLOSED
            and timezone.now() < round_.voting_closes_at
            and request.POST.get("early_close_confirmed") != "yes"
        ):
            return self._confirm_early_close(request, round_)
        if (
            to_phase == Round.Phase.VOTING_OPEN
            and round_.phase == Round.Phase.REVIEW
            and request.POST.get("voting_open_confirmed") != "yes"
        ):
            return self._confirm_open_voting(request, round_)
        try:
            moved = round_advance(
                round_id=round_.pk,
                to_phase=to_phase,
                past_dates_confirmed=request.POST.get("past_dates_confirmed") == "yes",
            )
        except ValidationError as error:
            if error.code == "past_dates":
                return self._confirm_past_dates(request, round_, to_phase, error)
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                _("The round is now in the phase “%(phase)s”.")
                % {"phase": moved.get_phase_display()},
            )
            holds = self.count_holds(moved) if moved.phase == Round.Phase.VOTING_CLOSED else []
            if holds:
                self.message_user(
                    request,
                    _("Counting waits until this is settled. %(holds)s")
                    % {"holds": " ".join(holds)},
                    messages.WARNING,
                )
        return redirect(reverse("admin:budgets_round_change", args=[round_.pk]))

    def _confirm_early_close(self, request, round_):
        """Closing the vote before its date cannot be undone: the count starts at once."""
        return self.admin_page(
            request,
            "admin/budgets/round/confirm_close.html",
            title=_("Close voting in “%(name)s” now?") % {"name": round_.name},
            original=round_,
            to_phase=Round.Phase.VOTING_CLOSED,
            holds=self.count_holds(round_),
        )

    def _confirm_open_voting(self, request, round_):
        """Opening the vote shows every resident the ballot as it stands: ask first, and
        say what each ballot holds. An envelope with an empty ballot refuses at once."""
        try:
            services.round_check_may_open_voting(round_=round_)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(reverse("admin:budgets_round_change", args=[round_.pk]))
        return self.admin_page(
            request,
            "admin/budgets/round/confirm_open_voting.html",
            title=_("Open voting in “%(name)s” now?") % {"name": round_.name},
            original=round_,
            to_phase=Round.Phase.VOTING_OPEN,
            sizes=services.round_ballot_sizes(round_),
            early=timezone.now() < round_.voting_opens_at,
        )

    def _confirm_past_dates(self, request, round_, to_phase, error):
        skipped = services.round_phases_skipped(round_, now=timezone.now())
        return self.admin_page(
            request,
            "admin/budgets/round/confirm_open.html",
            title=_("Open “%(name)s” with dates in the past?") % {"name": round_.name},
            original=round_,
            reason=" ".join(error.messages),
            skipped=[(Round.Phase(p).label, getattr(round_, phases.STARTS_AT[p])) for p in skipped],
            lands_in=Round.Phase(skipped[-1]).label,
            to_phase=to_phase,
        )

    def _one_round(self, request, queryset, message):
        if queryset.count() != 1:
            self.message_user(request, message, messages.WARNING)
            return None
        return queryset.get()

    @admin.action(description=_("Split the fund into envelopes"))
    def split_fund_action(self, request, queryset):
        round_ = self._one_round(
            request, queryset, _("Choose exactly one round to split its fund.")
        )
        return round_ and redirect(reverse("admin:budgets_round_split", args=[round_.pk]))

    def split_view(self, request, object_id):
        round_ = self.get_object(request, object_id)
        if not self.has_change_permission(request, round_):
            raise PermissionDenied
        form = SplitForm(request.POST if request.method == "POST" else None, round_=round_)
        preview: list[Share] = []
        if request.method == "POST" and form.is_valid():
            chosen = list(form.cleaned_data["neighbourhoods"])
            split = {
                "method": form.cleaned_data["method"],
                "amount_pence": form.cleaned_data["amount"],
            }
            try:
                if "confirm" in request.POST:
                    ids = [n.pk for n in chosen]
                    envelopes_split(round_id=round_.pk, neighbourhood_ids=ids, **split)
                    self.message_user(request, _("The envelopes are saved."))
                    return redirect(reverse("admin:budgets_round_change", args=[round_.pk]))
                preview = envelopes_split_preview(round_=round_, neighbourhoods=chosen, **split)
            except ValidationError as error:
                form.add_error(None, error)
        return self._split_page(request, round_, form, preview)

    def _split_page(self, request, round_, form, preview):
        return self.admin_page(
            request,
            "admin/budgets/round/split.html",
            title=_("Split the fund into envelopes: %(name)s") % {"name": round_.name},
            original=round_,
            form=form,
            preview=[(share, format_pence(share.amount_pence)) for share in preview],
            preview_total=format_pence(sum(s.amount_pence for s in preview)),
            fund_total=format_pence(round_.fund.total_pence),
        )


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
        super().clean()
        cleaned = self.cleaned_data
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
class EnvelopeAdmin(SharedRefusals, OfficerExportMixin, CouncilScopedHistoryAdmin):
    form = EnvelopeForm
    list_display = ["neighbourhood", "round", "amount"]
    list_filter = [
        ("round", admin.RelatedOnlyFieldListFilter),
        ("neighbourhood", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["neighbourhood", "round"]
    search_fields = ["neighbourhood__name", "round__name"]
    autocomplete_fields = ["round", "neighbourhood"]

    def delete_refusal(self, obj):
        return services.envelope_delete_refusal(obj)

    def has_change_permission(self, request, obj=None):
        # Past the round's draft an envelope is shown, never changed.
        if obj is not None and Round.rules_locked(obj.round.phase):
            return False
        return super().has_change_permission(request, obj)

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
