"""Side effects of voting, carried out from the outbox (outbox.enqueue in the cast)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import OperationalError
from django.urls import reverse
from django.utils.translation import gettext as _

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
    subject = _("Your vote in %(round)s") % {"round": envelope.round.name}
    lines = [
        _("Hello %(name)s,") % {"name": user.get_short_name()},
        "",
        (
            _("Your changed vote for %(place)s has been stored.")
            if replaced
            else _("Your vote for %(place)s has been stored.")
        )
        % {"place": envelope.neighbourhood.name},
        _("You can change it until voting closes on %(date)s.")
        % {"date": envelope.round.voting_closes_at.strftime("%-d %B %Y")},
        "",
        _("To see your receipt reference, sign in and open: %(url)s")
        % {
            "url": settings.SITE_URL
            + reverse("voting-receipt", kwargs={"envelope_id": envelope.pk})
        },
        "",
        _("This email does not say how you voted, and nobody at the council can see it."),
    ]
    send_mail(subject, "\n".join(lines), None, [user.email])


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
