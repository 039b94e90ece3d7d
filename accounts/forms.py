from allauth.account.forms import LoginForm, RequestLoginCodeForm, SignupForm
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.language import page_language
from accounts.models import User
from accounts.postcodes import POSTCODE_FORMAT_HELP, normalise_postcode

EMAIL_LABEL = _("Email address")
EMAIL_REQUIRED = _("Enter your email address")
EMAIL_INVALID = _("Enter an email address in the right format, like name@example.com")


def _plain_email_field(field) -> None:
    """allauth's email fields, in our words: a label in sentence case and plain errors."""
    field.label = EMAIL_LABEL
    field.error_messages.update({"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID})
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


class PostcodeField(forms.CharField):
    # Long enough for a postcode pasted with extra spaces; the normal form is 8 at most.
    PASTE_MAX_LENGTH = 16

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Home postcode"))
        kwargs.setdefault("help_text", POSTCODE_FORMAT_HELP)
        kwargs.setdefault("max_length", self.PASTE_MAX_LENGTH)
        kwargs.setdefault("error_messages", {"required": _("Enter your home postcode")})
        super().__init__(**kwargs)
        self.widget.attrs["class"] = "govuk-input--width-10"
        self.widget.attrs.update({"autocomplete": "postal-code", "spellcheck": "false"})

    def clean(self, value):
        value = super().clean(value)
        return normalise_postcode(value) if value else value


class ResidentSignupForm(SignupForm):
    display_name = forms.CharField(
        label=_("Your name"),
        help_text=_("How you would like to be shown, for example on ideas you suggest."),
        max_length=80,
        error_messages={"required": _("Enter your name")},
    )
    home_postcode = PostcodeField()

    field_order = ["email", "display_name", "home_postcode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        _plain_email_field(self.fields["email"])
        self.fields["email"].help_text = _("We will email you a code to confirm it.")

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"]
        user.home_postcode = self.cleaned_data["home_postcode"]
        # They signed up on a page in this language: we write to them in it too.
        user.language = page_language()
        user.save(update_fields=["display_name", "home_postcode", "language"])
        return user


class ProfileForm(forms.ModelForm):
    home_postcode = PostcodeField(
        help_text=format_lazy(
            "{} {}",
            POSTCODE_FORMAT_HELP,
            # What a change does is explained above the form ("What changing your
            # postcode does"); saying it all again here made a wall of text.
            _(
                "It decides which neighbourhood you can suggest ideas for and vote in. "
                "“What changing your postcode does”, above, explains what happens if you "
                "change it."
            ),
        )
    )

    class Meta:
        model = User
        fields = ["display_name", "home_postcode", "language"]
        labels = {"display_name": _("Your name"), "language": _("Language for emails and letters")}
        error_messages = {"display_name": {"required": _("Enter your name")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        # A form sent without it (an old page still open) keeps the language they had.
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language


class SignInForm(LoginForm):
    """One sign-in form for everyone: residents leave the password empty and get a code by
    email; officers and anchor staff enter their password (then their two-factor code)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_email_field(self.fields["login"])
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")

    def _setup_password_field(self) -> None:
        field = self.fields["password"]
        field.required = False
        field.label = _("Password")
        field.help_text = _("Residents: leave this empty and we will email you a sign-in code.")
        field.widget.attrs.pop("placeholder", None)


class CodeRequestForm(RequestLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_email_field(self.fields["email"])


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand my account will be deleted and cannot be brought back"),
        error_messages={"required": _("Tick the box to confirm you want to delete your account.")},
    )
