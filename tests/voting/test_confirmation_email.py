import uuid
from zoneinfo import ZoneInfo

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


@pytest.mark.django_db
def test_the_confirmation_email_is_plain_text_from_its_template(council, resident, settings):
    from tests.voting.conftest import make_voting_envelope

    settings.SITE_URL = "https://pb.example.test"
    envelope = make_voting_envelope(council)
    envelope.neighbourhood.name = "Splott & Tremorfa"
    envelope.neighbourhood.save()

    send_ballot_confirmation(resident.pk, envelope.pk, True)

    [email] = mail.outbox
    assert email.subject == f"Your vote in {envelope.round.name}"
    closes = envelope.round.voting_closes_at.astimezone(ZoneInfo("Europe/London"))
    assert email.body == (
        "Hello Rhian,\n"
        "\n"
        "Your changed vote for Splott & Tremorfa has been stored.\n"
        f"You can change it until voting closes on {closes.day} {closes:%B %Y}.\n"
        "\n"
        "To see your receipt reference, sign in and open: "
        f"https://pb.example.test/envelopes/{envelope.pk}/vote/receipt/\n"
        "\n"
        "This email does not say how you voted, and nobody at the council can see it."
    )
