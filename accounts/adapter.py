import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.language import in_language_of
from accounts.models import User

CONFIRMED = "account/messages/email_confirmed.txt"
SIGNED_IN = "account/messages/logged_in.txt"
SIGNED_UP = "account/messages/signed_up.txt"


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Staff setting up two-factor straight after typing their password are not asked
        for it again: a second prompt seconds later reads as a failed sign-in."""
        if app == "allauth.mfa" and _password_typed_recently():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": _(
            "That code is not right. Check the email we sent, or ask for a new code."
        ),
        "email_password_mismatch": _("The email address or password is not right."),
        "email_taken": _("There is already an account with this email address. Sign in instead."),
        "too_many_login_attempts": _("Too many tries. Wait a few minutes, then try again."),
        "rate_limited": _("Too many tries. Wait a minute, then try again."),
        "account_inactive": _("This account has been closed."),
    }

    def is_open_for_signup(self, request):
        return True

    def get_login_redirect_url(self, request):
        """Residents land on their own neighbourhood; anchor staff on their polling
        stations; officers on the page they asked for or the home page. A ``next``
        address, when given, wins (allauth checks it first)."""
        user = request.user
        if user.is_authenticated and not user.is_staff and user.home_postcode:
            return reverse("neighbourhoods-mine")
        if user.is_authenticated and user.is_anchor_staff:
            # Anchor staff come to open a station or key paper ballots, not to read the
            # residents' home page (trial 16/17, stumble 1).
            return reverse("stations-list")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return self.get_login_redirect_url(request)

    def add_message(self, request, level, message_template=None, message_context=None, **kwargs):
        """Signing up confirms the email address and then signs the person in, both in one
        request: one box says both, rather than two boxes stacked one above the other."""
        if message_template == CONFIRMED and not request.user.is_authenticated:
            request.email_just_confirmed = message_context
            return
        if message_template == SIGNED_IN and hasattr(request, "email_just_confirmed"):
            message_template, message_context = SIGNED_UP, request.email_just_confirmed
        super().add_message(request, level, message_template, message_context, **kwargs)

    def format_email_subject(self, subject):
        """The site's name in the reader's language, never the host's."""
        return f"{gettext('Neighbourhood Democracy')}: {subject}"

    def send_mail(self, template_prefix, email, context):
        """Sign-in codes and confirmations in the reader's own language, once we know them;
        before that, in the language of the page they are using."""
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        if user is None or user.pk is None:
            return super().send_mail(template_prefix, email, context)
        with in_language_of(user):
            return super().send_mail(template_prefix, email, context)


def _password_typed_recently() -> bool:
    request = context.request
    if request is None or not request.user.is_authenticated:
        return False
    since = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == "password" and record.get("at", 0) > since
        for record in get_authentication_records(request, request.user)
    )
