import uuid

import pytest
from django.core import mail

from voting.services import ballot_cast
from voting.tasks import send_ballot_confirmation


@pytest.mark.celery_worker
def test_the_confirmation_email_says_the_vote_is_stored_but_not_what_it_was(
    celery_worker, council, resident
):
    from tests.voting.conftest import make_voting_envelope

    envelope = make_voting_envelope(council)
    trees = envelope.proposals.get(title="Trees")
    result = ballot_cast(
        user=resident, envelope_id=envelope.pk, choices={trees.pk: 1}, idempotency_key=uuid.uuid4()
    )

    send_ballot_confirmation.delay(resident.pk, envelope.pk, False).get(timeout=20)

    [email] = mail.outbox
    assert email.to == [resident.email]
    assert "Your vote for Splott has been stored." in email.body
    assert "Trees" not in email.body and "Benches" not in email.body
    assert result.receipt not in email.body
