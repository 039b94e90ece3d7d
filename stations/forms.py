from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.postcodes import normalise_postcode

# Nothing typed on a shared tablet may be remembered and offered to the next person.
NO_MEMORY = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}


def _no_memory(form):
    for field in form.fields.values():
        field.widget.attrs.update(NO_MEMORY)


def _offer_staff(field: forms.Field, staff) -> None:
    """The station's staff as the choices of a "who are you" field."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", _("Choose your name"))] + [
        (person.pk, person.get_full_name()) for person in staff
    ]


class OpenStationForm(forms.Form):
    pin = forms.CharField(
        label=_("Choose a staff PIN for this tablet"),
        help_text=_(
            "4 to 8 digits. Staff enter it to see the station's figures, take a "
            "declaration or close the station. Do not tell voters."
        ),
        min_length=4,
        max_length=8,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
        error_messages={
            "min_length": _("Choose a staff PIN of 4 to 8 digits."),
            "max_length": _("Choose a staff PIN of 4 to 8 digits."),
        },
    )

    def clean_pin(self):
        pin = self.cleaned_data["pin"]
        if not pin.isdigit():
            raise ValidationError(_("Use digits only, like 4826."))
        return pin


class VoterCodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("kiosk", "Voter code"),
        help_text=_("It is on the letter, like ABCD-EFGH-JKMN."),
        max_length=20,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_memory(self)


class StaffPinForm(forms.Form):
    pin = forms.CharField(
        label=_("Staff PIN"),
        max_length=8,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_memory(self)


class DeclarationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=120)
    postcode = forms.CharField(
        label=pgettext_lazy("the person declaring", "Home postcode"),
        help_text=_("Like CF24 2AB."),
        max_length=10,
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("Like 27 3 1990 or 27/03/1990."),
        required=False,
        input_formats=["%d %m %Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Enter a real date of birth, like 27/03/1990.")},
    )
    checked_by = forms.TypedChoiceField(label=_("Checked by"), coerce=int)
    confirmed = forms.BooleanField(
        label=_("I have read the declaration to the person and they confirm it is true"),
        error_messages={"required": _("Confirm that the person has made the declaration.")},
    )

    def __init__(self, *args, staff, needs_date_of_birth: bool, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_staff(self.fields["checked_by"], staff)
        if needs_date_of_birth:
            self.fields["date_of_birth"].required = True
            self.fields["date_of_birth"].error_messages["required"] = _(
                "Enter the person's date of birth: this round has an age rule."
            )
        else:
            del self.fields["date_of_birth"]
        _no_memory(self)

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])


class CloseSessionForm(forms.Form):
    # Codes come by post, not from staff: staff count the letters people brought.
    codes_issued = forms.IntegerField(
        label=_("Voter codes used"),
        help_text=_("Letters with a voter code that people brought and typed in here."),
        min_value=0,
    )
    ballots = forms.IntegerField(label=_("Ballots cast"), min_value=0)
    spoilt = forms.IntegerField(
        label=_("Spoilt or abandoned ballots"),
        help_text=_("People who started but did not send their vote."),
        min_value=0,
    )
    refusals = forms.IntegerField(label=_("People turned away"), min_value=0)
    papers = forms.IntegerField(
        label=_("Paper ballots handed out"),
        help_text=_("People given a paper ballot instead of the tablet. Leave empty if none."),
        min_value=0,
        required=False,
    )
    closed_by = forms.TypedChoiceField(label=_("Closed by"), coerce=int)
    note = forms.CharField(
        label=_("Anything to explain (optional)"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_staff(self.fields["closed_by"], staff)
        _no_memory(self)

    def clean_papers(self):
        return self.cleaned_data["papers"] or 0
