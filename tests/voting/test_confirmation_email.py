"""The confirmation email goes through the outbox: written with the ballot, sent by Celery."""

import uuid
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.utils import timezone

from outbox.models import Message
from outbox.tasks import deliver
from tests.waiting import wait_for
from voting.rules import BallotRefused
from voting.services import ballot_cast
from voting.tasks import send_ballot_confirmation

# After any round a factory makes; 16:30 UTC in July is 5:30pm in Cardiff (BST).
IN_JULY = datetime(timezone.now().year + 2, 7, 3, 16, 30, tzinfo=UTC)


def _cast(user, envelope, choices, key=None):
    return ballot_cast(
        user=user, envelope_id=envelope.pk, choices=choices, idempotency_key=key or uuid.uuid4()
    )


@pytest.mark.celery_worker
def test_the_confirmation_email_says_the_vote_is_stored_but_not_what_it_was(
    celery_worker, council, resident
):
    from tests.voting.conftest import make_voting_envelope

    envelope = make_voting_envelope(council)
    trees = envelope.proposals.get(title="Trees")
    result = _cast(resident, envelope, {trees.pk: 1})

    deliver.delay()
    wait_for(lambda: mail.outbox)

    [email] = mail.outbox
    assert email.to == [resident.email]
    assert "Your vote for Splott has been stored." in email.body
    assert "Trees" not in email.body and "Benches" not in email.body
    assert result.receipt not in email.body
    # The worker records the sending after the email has gone: wait for it.
    wait_for(lambda: Message.objects.get().sent_at)


@pytest.mark.django_db
def test_a_changed_vote_gets_its_own_email_and_a_resend_none(resident, envelope, on_ballot):
    key = uuid.uuid4()
    _cast(resident, envelope, {on_ballot["Trees"]: 1}, key)
    _cast(resident, envelope, {on_ballot["Trees"]: 1}, key)  # the same form, sent again
    _cast(resident, envelope, {on_ballot["Benches"]: 1})
    assert [m.payload["replaced"] for m in Message.objects.order_by("pk")] == [False, True]


@pytest.mark.django_db
def test_a_refused_ballot_sends_nothing(resident, envelope, on_ballot):
    with pytest.raises(BallotRefused):
        _cast(resident, envelope, dict.fromkeys(on_ballot.values(), 1))
    assert Message.objects.exists() is False


@pytest.mark.django_db
def test_the_confirmation_email_is_plain_text_from_its_template(council, resident, settings):
    from tests.voting.conftest import make_voting_envelope

    settings.SITE_URL = "https://pb.example.test"
    envelope = make_voting_envelope(council)
    envelope.neighbourhood.name = "Splott & Tremorfa"
    envelope.neighbourhood.save()
    envelope.round.voting_closes_at = IN_JULY
    envelope.round.save(update_fields=["voting_closes_at"])

    send_ballot_confirmation(resident.pk, envelope.pk, True)

    [email] = mail.outbox
    assert email.subject == f"Your vote in {envelope.round.name}"
    assert email.body == (
        "Hello Rhian,\n"
        "\n"
        "Your changed vote for Splott & Tremorfa has been stored.\n"
        f"You can change it until voting closes at 5:30pm on 3 July {IN_JULY.year}.\n"
        "\n"
        "To see your receipt reference, sign in and open: "
        f"https://pb.example.test/envelopes/{envelope.pk}/vote/receipt/\n"
        "\n"
        "This email does not say how you voted, and nobody at the council can see it."
    )
