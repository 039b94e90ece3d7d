"""The same person verified at two stations at once gets one ballot (real PostgreSQL)."""

import time
import uuid

import pytest

from stations.kiosk import KioskVoter
from stations.models import DeclaredVoter, Refusal
from stations.services import Refused, code_check, declaration_check, station_ballot_cast
from tests.concurrency import run_at_once
from tests.stations.factories import PollingStationFactory, StationSessionFactory
from voting.models import Ballot, Channel, Participation
from voting.services import voter_codes_generate

pytestmark = pytest.mark.django_db(transaction=True)
AT_ONCE = 8


@pytest.fixture
def sessions(station, envelope, anchor_staff):
    """Open sessions at two stations serving the same neighbourhood, several tablets each."""
    other = PollingStationFactory(
        round=envelope.round, place="Splott Library", neighbourhoods=[envelope.neighbourhood]
    )
    other.anchor.staff.add(anchor_staff)
    return [
        StationSessionFactory(station=s, opened_by=anchor_staff)
        for s in [station, other] * (AT_ONCE // 2)
    ]


def _cast(session, details, choice):
    voter = KioskVoter(expires=time.time() + 60, **details)
    return lambda: station_ballot_cast(
        session_id=session.pk, voter=voter, choices={choice: 1}, idempotency_key=uuid.uuid4()
    )


def test_one_declared_person_at_two_stations_at_once_gets_one_ballot(
    sessions, anchor_staff, on_ballot
):
    # Every tablet checks the declaration before anyone has voted, so all of them pass...
    verified = [
        declaration_check(
            session=s,
            name="Carys Morgan",
            postcode="cf24 2ab",
            date_of_birth=None,
            checked_by_id=anchor_staff.pk,
        )
        for s in sessions
    ]
    # ...and then every one of them sends a ballot at the same moment.
    results = run_at_once(
        [_cast(s, d, on_ballot["Trees"]) for s, d in zip(sessions, verified, strict=True)],
        returning=(Refused,),
    )

    assert Ballot.objects.count() == 1
    assert Participation.objects.count() == 1
    assert DeclaredVoter.objects.count() == 1
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(refused) == AT_ONCE - 1
    assert {r.reason for r in refused} == {Refusal.Reason.ALREADY_VOTED_IN_PERSON}
    assert Refusal.objects.count() == AT_ONCE - 1


def test_one_voter_code_at_two_stations_at_once_gets_one_ballot(sessions, envelope, officer):
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    verified = [code_check(session=s, code=code.code) for s in sessions]
    choice = envelope.proposals.first().pk
    results = run_at_once(
        [_cast(s, d, choice) for s, d in zip(sessions, verified, strict=True)],
        returning=(Refused,),
    )
    assert Ballot.objects.filter(channel=Channel.POLLING_STATION).count() == 1
    assert Participation.objects.count() == 1
    assert sum(1 for r in results if isinstance(r, Refused)) == AT_ONCE - 1
