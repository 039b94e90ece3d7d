"""An officer decides a ballot a tablet kept offline that was refused when it arrived
(issue 17): usually the station has closed by then, since the tablet syncs the next
morning, and the decision must still be possible, in the service and in the admin."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.models import Round
from stations import offline
from stations.models import OfflineBallot
from stations.services import session_close
from tests.stations.factories import STAFF_PIN
from voting.models import Ballot, Channel, Participation
from voting.services import ballot_cast, voter_code_redeem, voter_codes_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused_after_close(session, envelope, officer, on_ballot, anchor_staff, resident):
    """A ballot kept offline by a voter who had voted online, synced after closing."""
    kit = offline.kit_make(session, STAFF_PIN)
    batch = voter_codes_generate(envelope_id=envelope.pk, size=2, created_by=officer)
    code = batch.codes.order_by("pk").first().code
    session_close(
        session_id=session.pk,
        closed_by_id=anchor_staff.pk,
        codes_issued=1,
        ballots=1,
        spoilt=0,
        refusals=0,
    )
    payload = {
        "method": "code",
        "code": code,
        "envelope": envelope.pk,
        "form": [["choice", str(on_ballot["Trees"])]],
    }
    assert kit.session_id == session.pk
    stored = offline.offline_ballot_sync(session_id=session.pk, key=uuid.uuid4(), payload=payload)
    assert stored.outcome == OfflineBallot.Outcome.REFUSED
    assert stored.decision == OfflineBallot.Decision.PENDING
    return stored


def test_an_officer_accepts_an_offline_ballot_after_the_station_closed(
    refused_after_close, officer
):
    decided = offline.offline_ballot_decide(
        offline_id=refused_after_close.pk, officer=officer, accept=True
    )

    assert decided.decision == OfflineBallot.Decision.ACCEPTED
    assert decided.decided_by == officer
    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.POLLING_STATION
    assert list(ballot.choices.values_list("proposal__title", flat=True)) == ["Trees"]
    assert Participation.objects.get().channel == Channel.POLLING_STATION
    assert (decided.sealed_choices, decided.sealed_voter) == ({}, {})


def test_an_officer_rejects_an_offline_ballot_after_the_station_closed(
    refused_after_close, officer
):
    decided = offline.offline_ballot_decide(
        offline_id=refused_after_close.pk, officer=officer, accept=False, note="Not eligible."
    )

    assert decided.decision == OfflineBallot.Decision.REJECTED
    assert decided.decision_note == "Not eligible."
    assert Ballot.objects.exists() is False
    assert Participation.objects.exists() is False


def test_accepting_after_the_station_closed_still_follows_the_register(
    refused_after_close, officer, resident, envelope, on_ballot
):
    code = refused_after_close.sealed_voter["code"]
    voter_code_redeem(user=resident, envelope_id=envelope.pk, code=code)
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Benches"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    with pytest.raises(ValidationError, match="It cannot be counted: This person has already"):
        offline.offline_ballot_decide(
            offline_id=refused_after_close.pk, officer=officer, accept=True
        )
    assert Ballot.objects.count() == 1


def test_accepting_after_voting_closed_is_refused(refused_after_close, officer, envelope):
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    with pytest.raises(ValidationError, match="Voting has closed"):
        offline.offline_ballot_decide(
            offline_id=refused_after_close.pk, officer=officer, accept=True
        )
    assert Ballot.objects.exists() is False


def _run(client, action, ballot, **extra):
    return client.post(
        reverse("admin:stations_offlineballot_changelist"),
        {"action": action, "_selected_action": [ballot.pk], **extra},
        follow=True,
    )


def test_the_admin_accepts_after_the_station_closed(officer_client, refused_after_close):
    response = _run(officer_client, "accept", refused_after_close)

    assert "1 accepted: their ballots are counted." in response.content.decode()
    refused_after_close.refresh_from_db()
    assert refused_after_close.decision == OfflineBallot.Decision.ACCEPTED
    assert Ballot.objects.count() == 1


def test_the_admin_rejects_after_the_station_closed(officer_client, refused_after_close):
    response = _run(officer_client, "reject", refused_after_close, apply="1", note="Voted twice.")

    assert "1 rejected: their ballots will not be counted." in response.content.decode()
    refused_after_close.refresh_from_db()
    assert refused_after_close.decision == OfflineBallot.Decision.REJECTED
    assert refused_after_close.decision_note == "Voted twice."
    assert Ballot.objects.exists() is False


def test_the_admin_says_the_station_session_has_closed(officer_client, refused_after_close):
    response = officer_client.get(reverse("admin:stations_offlineballot_changelist"))
    assert "closed at" in response.content.decode()
