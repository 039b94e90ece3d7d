"""The confirmation email goes through the outbox: written with the ballot, sent by Celery."""

import uuid

import pytest
from django.core import mail

from outbox.models import Message
from outbox.tasks import deliver
from tests.waiting import wait_for
from voting.rules import BallotRefused
from voting.services import ballot_cast


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
