"""Station ballots in the published results: turnout by channel and the ballot file."""

import time
import uuid

import pytest
from django.urls import reverse

from budgets.models import Round
from budgets.services import round_advance
from stations.kiosk import KioskVoter
from stations.services import station_ballot_cast
from tests.voting.results.factories import every_envelope
from voting.models import Ballot, Channel
from voting.results.services import envelope_count, round_publish
from voting.services import ballot_cast

pytestmark = pytest.mark.django_db


def test_a_station_ballot_is_counted_and_shown_by_channel(
    client, session, envelope, anchor_staff, on_ballot, resident
):
    voter = KioskVoter(
        envelope_id=envelope.pk,
        method="declaration",
        expires=time.time() + 60,
        name="Megan Lewis",
        postcode="CF24 2AB",
        checked_by_id=anchor_staff.pk,
    )
    station_ballot_cast(
        session_id=session.pk,
        voter=voter,
        choices={on_ballot["Trees"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Trees"]: 1, on_ballot["Benches"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    round_advance(round_id=envelope.round_id, to_phase=Round.Phase.VOTING_CLOSED)
    outcome = envelope_count(envelope_id=envelope.pk)
    round_publish(
        round_id=envelope.round_id, few_ballots_accepted=every_envelope(envelope.round_id)
    )

    assert outcome.ballot_count == 2
    page = client.get(reverse("voting-results", args=[envelope.pk]))
    assert page.context["turnout"] == [("Online", 1), ("Polling station", 1), ("Paper", 0)]

    pb = client.get(reverse("voting-results-pb", args=[envelope.pk])).content.decode()
    station_receipt = Ballot.objects.get(channel=Channel.POLLING_STATION).receipt
    votes = pb.split("VOTES\n", 1)[1].splitlines()
    header = votes[0].split(";")
    rows = {row.split(";")[0]: dict(zip(header, row.split(";"), strict=True)) for row in votes[1:]}
    assert rows[station_receipt]["vote"] == str(on_ballot["Trees"])
    assert rows[station_receipt]["voting_method"] == "internet"
    assert "Megan" not in pb
    assert "Lewis" not in pb
