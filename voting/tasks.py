"""Side effects of voting, carried out from the outbox (outbox.enqueue in the cast)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.language import in_language_of
from accounts.models import User
from budgets.models import Envelope
from outbox import handler
from voting.letters import letters_make


@handler("voting.ballot_confirmation")
def send_ballot_confirmation(user_id: int, envelope_id: int, replaced: bool) -> None:
    """Tell the voter their ballot is stored. The email never says what they chose."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    envelope = Envelope.objects.select_related("round", "neighbourhood").get(pk=envelope_id)
    # Written in the voter's language, and in UK time, whichever worker sends it.
    with in_language_of(user), timezone.override(settings.TIME_ZONE):
        path = reverse("voting-receipt", kwargs={"envelope_id": envelope.pk})
        context = {
            "user": user,
            "envelope": envelope,
            "replaced": replaced,
            "url": settings.SITE_URL + path,
        }
        subject = render_to_string("voting/email/ballot_confirmation_subject.txt", context).strip()
        body = render_to_string("voting/email/ballot_confirmation.txt", context).strip()
    send_mail(subject, body, None, [user.email])


@shared_task(
    name="voting.make_letters",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def make_letters(batch_id: int) -> None:
    letters_make(batch_id=batch_id)
