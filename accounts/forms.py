from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.postcodes import POSTCODE_FORMAT_HELP, normalise_postcode


class PostcodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Home postcode"))
        kwargs.setdefault("help_text", POSTCODE_FORMAT_HELP)
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "postal-code", "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        return normalise_postcode(value) if value else value


class ResidentSignupForm(SignupForm):
    display_name = forms.CharField(
        label=_("Your name"),
        help_text=_("How you would like to be shown, for example on ideas you suggest."),
        max_length=80,
    )
    home_postcode = PostcodeField()

    field_order = ["email", "display_name", "home_postcode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"]
        user.home_postcode = self.cleaned_data["home_postcode"]
        user.save(update_fields=["display_name", "home_postcode"])
        return user


class ProfileForm(forms.ModelForm):
    home_postcode = PostcodeField(
        help_text=format_lazy(
            "{} {}",
            POSTCODE_FORMAT_HELP,
            _(
                "Your postcode decides which neighbourhood you can suggest ideas and vote in. "
                "If you change it after voting in a round, your vote stays where you cast it "
                "and you can still change it there, but you cannot vote somewhere else in that "
                "round: one person, one vote. It counts for the next rounds."
            ),
        )
    )

    class Meta:
        model = User
        fields = ["display_name", "home_postcode"]
        labels = {"display_name": _("Your name")}


class SignInForm(LoginForm):
    """One sign-in form for everyone: residents leave the password empty and get a code by
    email; officers and anchor staff enter their password (then their two-factor code)."""

    def _setup_password_field(self) -> None:
        field = self.fields["password"]
        field.required = False
        field.label = _("Password (council and community staff only)")
        field.help_text = _("Residents: leave this empty and we will email you a sign-in code.")


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand my account will be deleted and cannot be brought back"),
        error_messages={"required": _("Tick the box to confirm you want to delete your account.")},
    )
