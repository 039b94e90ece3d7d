from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.bilingual import WELSH_HELP
from budgets.money import PoundsField
from proposals.models import (
    DESCRIPTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Proposal,
    ProposalReport,
    cost_within_envelope,
)
from proposals.photos import photo_prepare
from proposals.selectors import SORTS
from proposals.services import CONTENT_FIELDS


def _text_field(label, max_length, help_text, *, required_message, too_long, **kwargs):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": required_message, "max_length": too_long},
        **kwargs,
    )


class ProposalForm(forms.Form):
    title = _text_field(
        _("Title"),
        TITLE_MAX,
        _('A short name for your idea, like "Benches along the river path".'),
        required_message=_("Enter a title."),
        too_long=_("The title must be %(limit_value)d characters or fewer. It has %(show_value)d."),
    )
    summary = _text_field(
        _("Summary in one line"),
        SUMMARY_MAX,
        _("What would change, in one sentence. People see this first when they browse."),
        required_message=_("Enter a one-line summary."),
        too_long=_(
            "The summary must be %(limit_value)d characters or fewer. It has %(show_value)d."
        ),
    )
    description = _text_field(
        _("Describe your idea"),
        DESCRIPTION_MAX,
        _("What you would like to happen, who it would help and why it matters."),
        widget=forms.Textarea,
        required_message=_("Describe your idea."),
        too_long=_(
            "The description must be %(limit_value)d characters or fewer. It has %(show_value)d."
        ),
    )
    cost = PoundsField(
        label=_("Roughly how much would it cost, in pounds?"),
        help_text=_("A rough guess is fine, like 2500. The council will check it."),
        min_pence=1,
        error_messages={
            "required": _("Enter a rough cost in pounds."),
            "invalid": _("Enter the cost in pounds, like 2500 or 2,500.50."),
            "too_small": _("The cost must be more than £0."),
        },
    )
    category = forms.ChoiceField(
        label=_("Which kind of idea is it?"),
        choices=[("", _("Choose one")), *Proposal.Category.choices],
        error_messages={"required": _("Choose which kind of idea it is.")},
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        help_text=_("A JPG, PNG or WebP picture, up to 10 MB. We remove its location details."),
        required=False,
    )
    photo_description = _text_field(
        _("What the photo shows (optional)"),
        200,
        _('For people who cannot see it, like "The empty corner of Jubilee Park".'),
        required=False,
        required_message="",
        too_long=_(
            "The photo description must be %(limit_value)d characters or fewer. "
            "It has %(show_value)d."
        ),
    )
    location_description = _text_field(
        _("Where? (optional)"),
        200,
        _('A street, park or building, like "Corner of Railway Street and Pearl Street".'),
        required=False,
        required_message="",
        too_long=_("The place must be %(limit_value)d characters or fewer. It has %(show_value)d."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"),
        help_text=_("Between -90 and 90, like 51.4816."),
        required=False,
        max_digits=8,
        decimal_places=6,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        error_messages={"invalid": _("Enter the latitude as a number, like 51.4816.")},
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"),
        help_text=_("Between -180 and 180, like -3.1791."),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        error_messages={"invalid": _("Enter the longitude as a number, like -3.1791.")},
    )

    def __init__(self, *args, envelope, **kwargs):
        super().__init__(*args, **kwargs)
        self.envelope = envelope
        # The server's message says what is wrong; a maxlength attribute would cut text silently.
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    def clean_cost(self):
        cost = self.cleaned_data["cost"]
        cost_within_envelope(cost, self.envelope)
        return cost

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return photo_prepare(photo) if photo else None

    def clean(self):
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            raise ValidationError(_("Enter both the latitude and the longitude, or neither."))
        return data

    def content(self) -> dict:
        """The cleaned answers, named as the services expect them."""
        data = dict(self.cleaned_data)
        data["cost_pence"] = data.pop("cost")
        return {key: value for key, value in data.items() if key in self.content_fields}

    content_fields = frozenset(CONTENT_FIELDS)

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict:
        return {
            "title": proposal.title,
            "summary": proposal.summary,
            "description": proposal.description,
            "cost": proposal.cost_pence,
            "category": proposal.category,
            "photo_description": proposal.photo_description,
            "location_description": proposal.location_description,
            "latitude": proposal.latitude,
            "longitude": proposal.longitude,
        }

    def add_service_error(self, error: ValidationError) -> None:
        for message in error.messages:
            self.add_error(None, message)


class OnBehalfForm(ProposalForm):
    """Anchor staff writing down a resident's idea, for example at a drop-in session."""

    resident_name = _text_field(
        _("The resident's name"),
        80,
        _("As they would like it shown beside their idea."),
        required_message=_("Enter the resident's name."),
        too_long=_("The name must be %(limit_value)d characters or fewer. It has %(show_value)d."),
    )
    resident_email = forms.EmailField(
        label=_("The resident's email address (optional)"),
        help_text=_("We will tell them by email when the council has looked at their idea."),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )
    anchor: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Choose your organisation.")},
    )

    field_order = ["resident_name", "resident_email", "anchor"]

    def __init__(self, *args, anchors, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["anchor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = anchors
        only = list(anchors[:2])
        if len(only) == 1:
            self.fields["anchor"].widget = forms.HiddenInput()
            self.fields["anchor"].initial = only[0].pk

    def on_behalf(self) -> dict:
        return {
            "resident_name": self.cleaned_data["resident_name"],
            "resident_email": self.cleaned_data["resident_email"],
            "anchor": self.cleaned_data["anchor"],
        }


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Search ideas"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Kind of idea"),
        required=False,
        choices=[("", _("All kinds")), *Proposal.Category.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))]
        + [(status.value, status.label) for status in Proposal.PUBLIC_STATUSES],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("random", _("Shuffled")),
            ("newest", _("Newest first")),
            ("cost_low", _("Cheapest first")),
            ("cost_high", _("Most expensive first")),
        ],
    )

    def filters(self) -> dict:
        """The chosen filters; anything unrecognised falls back to showing everything."""
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "random"
        return {
            "query": data.get("q", ""),
            "category": data.get("category", ""),
            "status": data.get("status", ""),
            "sort": sort if sort in SORTS else "random",
        }


class ReasonForm(forms.Form):
    """The admin's intermediate page: a public reason for a decision on several ideas."""

    reason = forms.CharField(
        label=_("Reason (residents see this)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=DESCRIPTION_MAX,
    )
    reason_cy = forms.CharField(
        label=_("Reason in Welsh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=DESCRIPTION_MAX,
        help_text=WELSH_HELP,
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Keep this idea; join the others into it"),
        queryset=Proposal.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = proposals


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this idea?"),
        choices=ProposalReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with this idea")},
    )
    details = forms.CharField(
        label=_("Tell us more (optional)"),
        help_text=_("Do not include your own personal details."),
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        error_messages={"max_length": _("Tell us more in 1,000 characters or fewer")},
    )
