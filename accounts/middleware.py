from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffTwoFactorMiddleware:
    """Officers and anchor staff must turn on two-factor sign-in before using the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not is_mfa_enabled(user)
        ):
            _drop_success_messages(request)  # "You are signed in" reads as done when it is not
            messages.warning(
                request,
                _("Set up two-factor sign-in with an authenticator app before using the admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _drop_success_messages(request) -> None:
    """Keep every waiting message but the successes."""
    kept = [m for m in messages.get_messages(request) if m.level != messages.SUCCESS]
    for message in kept:
        messages.add_message(request, message.level, message.message, message.extra_tags)
