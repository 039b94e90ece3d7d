"""The kiosk's offline sync (issue 17, point 1): each queued ballot stored exactly once,
judged by the register when it arrives; a refused one kept sealed for an officer."""

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from budgets.models import Round
from stations import offline
from stations.models import OfflineBallot, OfflineKit, PollingStation, StationSession
from tests.stations.factories import STAFF_PIN
from voting.models import Ballot, Channel, Participation, SubmissionKey
from voting.services import ballot_cast, voter_code_redeem, voter_codes_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(session):
    return offline.kit_make(session, STAFF_PIN)


@pytest.fixture
def codes(envelope, officer):
    batch = voter_codes_generate(envelope_id=envelope.pk, size=3, created_by=officer)
    return [code.code for code in batch.codes.order_by("pk")]


def by_code(envelope, code, *titles_to_pks):
    return {
        "method": "code",
        "code": code,
        "envelope": envelope.pk,
        "form": [["choice", str(pk)] for pk in titles_to_pks],
    }


def sync(session, key, payload):
    return offline.offline_ballot_sync(session_id=session.pk, key=key, payload=payload)


def test_a_queued_ballot_is_counted_once_however_often_it_is_sent(
    session, kit, envelope, codes, on_ballot
):
    key = uuid.uuid4()
    payload = by_code(envelope, codes[0], on_ballot["Trees"])
    first = sync(session, key, payload)
    again = sync(session, key, payload)

    assert first.outcome == again.outcome == OfflineBallot.Outcome.COUNTED
    assert first.pk == again.pk
    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.POLLING_STATION
    assert list(ballot.choices.values_list("proposal__title", flat=True)) == ["Trees"]
    assert Participation.objects.get().channel == Channel.POLLING_STATION
    assert SubmissionKey.objects.filter(key=key).count() == 1
    assert StationSession.objects.get().ballots_recorded == 1


def test_a_voter_who_voted_online_meanwhile_is_refused_and_kept_for_an_officer(
    session, kit, envelope, codes, on_ballot, resident, officer
):
    voter_code_redeem(user=resident, envelope_id=envelope.pk, code=codes[0])
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Benches"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    stored = sync(session, uuid.uuid4(), by_code(envelope, codes[0], on_ballot["Trees"]))

    assert stored.outcome == OfflineBallot.Outcome.REFUSED
    assert stored.decision == OfflineBallot.Decision.PENDING
    assert "already voted online" in stored.why_refused
    stored.refresh_from_db()
    assert stored.sealed_choices == {"form": [["choice", [str(on_ballot["Trees"])]]]}
    assert Ballot.objects.count() == 1  # the online one only

    with pytest.raises(ValidationError, match="It cannot be counted: This person has already"):
        offline.offline_ballot_decide(offline_id=stored.pk, officer=officer, accept=True)
    with pytest.raises(ValidationError, match="Give the reason"):
        offline.offline_ballot_decide(offline_id=stored.pk, officer=officer, accept=False)
    decided = offline.offline_ballot_decide(
        offline_id=stored.pk, officer=officer, accept=False, note="Voted online."
    )
    assert decided.decision == OfflineBallot.Decision.REJECTED
    assert (decided.sealed_choices, decided.sealed_voter) == ({}, {})
    with pytest.raises(ValidationError, match="already been decided"):
        offline.offline_ballot_decide(offline_id=stored.pk, officer=officer, accept=True)
    assert Ballot.objects.count() == 1


def test_a_ballot_that_arrives_after_voting_closed_is_refused_not_counted(
    session, kit, envelope, codes, on_ballot
):
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    stored = sync(session, uuid.uuid4(), by_code(envelope, codes[0], on_ballot["Trees"]))
    assert stored.outcome == OfflineBallot.Outcome.REFUSED
    assert "Voting has closed" in stored.why_refused
    assert Ballot.objects.exists() is False


def test_an_officer_can_count_a_late_ballot_once_the_rules_allow_it(
    session, kit, station, envelope, codes, on_ballot, officer
):
    # It arrived after the station's closing time; the officer extends the time and accepts.
    PollingStation.objects.filter(pk=station.pk).update(
        opens_at=timezone.now() - timedelta(hours=3), closes_at=timezone.now() - timedelta(hours=1)
    )
    stored = sync(session, uuid.uuid4(), by_code(envelope, codes[0], on_ballot["Trees"]))
    assert stored.outcome == OfflineBallot.Outcome.REFUSED
    assert "closed" in stored.why_refused

    PollingStation.objects.filter(pk=station.pk).update(
        closes_at=timezone.now() + timedelta(hours=1)
    )
    decided = offline.offline_ballot_decide(offline_id=stored.pk, officer=officer, accept=True)
    assert decided.decision == OfflineBallot.Decision.ACCEPTED
    assert list(Ballot.objects.get().choices.values_list("proposal__title", flat=True)) == ["Trees"]
    assert decided.sealed_choices == {}


def test_bad_ballots_are_refused_with_their_reason(session, kit, envelope, codes, on_ballot):
    over = by_code(envelope, codes[0], on_ballot["Trees"], on_ballot["Play area"])
    assert "costing at least" in sync(session, uuid.uuid4(), over).why_refused
    unknown = by_code(envelope, "ZZZZ-ZZZZ-ZZZZ", on_ballot["Trees"])
    assert "not right for this station" in sync(session, uuid.uuid4(), unknown).why_refused
    nobody = {"method": "nobody", "envelope": envelope.pk, "form": []}
    assert "how the voter was checked" in sync(session, uuid.uuid4(), nobody).why_refused
    assert Ballot.objects.exists() is False
    assert OfflineBallot.objects.filter(decision=OfflineBallot.Decision.PENDING).count() == 3


def test_a_declaration_taken_offline_is_checked_when_it_arrives(
    session, kit, envelope, anchor_staff, on_ballot
):
    declaration = {
        "method": "declaration",
        "name": "Megan Lewis",
        "postcode": "cf24 2ab",
        "date_of_birth": "",
        "checked_by": anchor_staff.pk,
        "envelope": envelope.pk,
        "form": [["choice", str(on_ballot["Benches"])]],
    }
    assert sync(session, uuid.uuid4(), declaration).outcome == OfflineBallot.Outcome.COUNTED
    again = sync(session, uuid.uuid4(), {**declaration, "name": "Mrs MEGAN Lewis"})
    assert again.outcome == OfflineBallot.Outcome.REFUSED
    assert "Someone with this name and postcode" in again.why_refused
    similar = sync(session, uuid.uuid4(), {**declaration, "name": "Meg Lewis"})
    assert similar.outcome == OfflineBallot.Outcome.HELD
    assert Ballot.objects.count() == 1


def test_a_key_from_another_tablet_is_not_taken(session, kit, envelope, codes, on_ballot, station):
    key = uuid.uuid4()
    sync(session, key, by_code(envelope, codes[0], on_ballot["Trees"]))
    other = StationSession.objects.create(
        station=station, opened_by=session.opened_by, staff_pin="x"
    )
    with pytest.raises(ValidationError, match="another tablet"):
        sync(other, key, by_code(envelope, codes[1], on_ballot["Trees"]))


# --- The endpoint: sealed ballots only, from the tablet staff opened ------------------------


@pytest.fixture
def tablet(client, station, anchor_staff):
    client.force_login(anchor_staff)
    client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    return client


def _post(client, body):
    return client.post(
        reverse("stations-kiosk-offline-sync"), json.dumps(body), content_type="application/json"
    )


def test_the_key_is_given_once_after_opening_and_then_only_to_staff(tablet):
    url = reverse("stations-kiosk-offline-key")
    first = tablet.post(url)
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    kit = OfflineKit.objects.get()
    assert first.json()["key"] and first.json()["kit"] == kit.pk
    assert first.json()["pin"]["iterations"] == offline.PIN_ITERATIONS
    assert tablet.post(url).status_code == 403


def test_the_sync_endpoint_opens_sealed_ballots_and_refuses_anything_else(
    tablet, envelope, codes, on_ballot
):
    kit = OfflineKit.objects.get()
    key = uuid.uuid4()
    sealed = offline.seal_for_tests(
        kit, key=key, payload=by_code(envelope, codes[0], on_ballot["Trees"])
    )
    answer = _post(tablet, {"key": str(key), **sealed})
    assert answer.status_code == 200
    assert answer.json() == {"key": str(key), "outcome": "counted", "message": "Counted."}
    assert _post(tablet, {"key": str(key), **sealed}).json()["outcome"] == "counted"
    assert Ballot.objects.count() == 1

    # Under another key (the additional data), tampered, or not sealed at all: unread.
    moved = _post(tablet, {"key": str(uuid.uuid4()), **sealed})
    tampered = _post(
        tablet, {"key": str(key), "iv": sealed["iv"], "data": "AAAA" + sealed["data"][4:]}
    )
    plain = _post(tablet, {"key": str(uuid.uuid4()), "iv": "", "data": "{}"})
    junk = tablet.post(reverse("stations-kiosk-offline-sync"), "nope", content_type="text/plain")
    for answer in (moved, tampered, plain, junk):
        assert answer.status_code == 400
        assert "could not be read" in answer.json()["error"]
    assert Ballot.objects.count() == 1


def test_the_sync_endpoint_needs_the_opened_tablet(client, session, kit, envelope, codes):
    key = uuid.uuid4()
    sealed = offline.seal_for_tests(kit, key=key, payload=by_code(envelope, codes[0]))
    answer = _post(client, {"key": str(key), **sealed})
    assert answer.status_code == 403
    assert OfflineBallot.objects.exists() is False


# --- At once, on real PostgreSQL ------------------------------------------------------------


def _at_once(jobs):
    barrier = threading.Barrier(len(jobs))

    def run(job):
        try:
            barrier.wait()
            return job()
        except Exception as error:  # the test reads what each one got
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


@pytest.mark.django_db(transaction=True)
def test_a_queued_ballot_and_an_online_cast_by_the_same_person_give_one_ballot(
    session, kit, envelope, codes, on_ballot, resident
):
    voter_code_redeem(user=resident, envelope_id=envelope.pk, code=codes[0])
    results = _at_once(
        [
            lambda: sync(session, uuid.uuid4(), by_code(envelope, codes[0], on_ballot["Trees"])),
            lambda: ballot_cast(
                user=resident,
                envelope_id=envelope.pk,
                choices={on_ballot["Benches"]: 1},
                idempotency_key=uuid.uuid4(),
            ),
        ]
    )
    assert Ballot.objects.count() == 1
    assert Participation.objects.count() == 1
    offline_result = results[0]
    assert isinstance(offline_result, OfflineBallot)
    if offline_result.outcome == OfflineBallot.Outcome.COUNTED:
        assert isinstance(results[1], ValidationError)
    else:
        assert offline_result.outcome == OfflineBallot.Outcome.REFUSED
        assert Ballot.objects.get().channel == Channel.ONLINE


@pytest.mark.django_db(transaction=True)
def test_the_same_queued_ballot_sent_four_times_at_once_is_stored_once(
    session, kit, envelope, codes, on_ballot
):
    key = uuid.uuid4()
    payload = by_code(envelope, codes[0], on_ballot["Trees"])
    results = _at_once([lambda: sync(session, key, payload) for _ in range(4)])
    assert {type(r) for r in results} == {OfflineBallot}
    assert {r.pk for r in results} == {OfflineBallot.objects.get().pk}
    assert Ballot.objects.count() == 1
    assert SubmissionKey.objects.count() == 1


# --- Officers' list ---------------------------------------------------------------------------


def test_officers_list_refused_offline_ballots_in_bounded_queries(
    officer_client,
    session,
    kit,
    envelope,
    on_ballot,
    django_assert_max_num_queries,
):
    for _ in range(5):
        sync(session, uuid.uuid4(), by_code(envelope, "ZZZZ-ZZZZ-ZZZZ", on_ballot["Trees"]))
    url = reverse("admin:stations_offlineballot_changelist")
    with django_assert_max_num_queries(20):
        response = officer_client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"not right for this station") == 5


def test_a_background_request_racing_a_reset_does_not_unbind_the_tablet(tablet):
    old_cookie = tablet.cookies["sessionid"].value
    tablet.post(reverse("stations-kiosk-reset"))
    new_cookie = tablet.cookies["sessionid"].value
    assert new_cookie != old_cookie

    # The worker's request, sent before the reset with the old cookie, answered after it.
    tablet.cookies["sessionid"] = old_cookie
    late = tablet.get(reverse("stations-kiosk-offline-manifest"))
    # Never a redirect: the worker's fetch would follow it to the start page, which forgets
    # the voter on screen (#16: a tablet losing the voter a code had just started).
    assert late.status_code == 403
    assert "Location" not in late
    assert "sessionid" not in late.cookies
    assert "csrftoken" not in late.cookies

    tablet.cookies["sessionid"] = new_cookie
    assert tablet.get(reverse("stations-kiosk-offline-manifest")).status_code == 200


def test_the_workers_requests_leave_the_voter_on_screen(tablet, codes):
    """The race behind #16: a code starts a voter with a new session while the worker is
    still fetching with the old cookie. Its answers neither redirect to the start page
    (which forgets the voter) nor send back a cookie."""
    old_cookie = tablet.cookies["sessionid"].value
    started = tablet.post(reverse("stations-kiosk-code"), {"code": codes[0]})
    assert started.url == reverse("stations-kiosk-ballot")
    new_cookie = tablet.cookies["sessionid"].value

    for cookie in (old_cookie, new_cookie):
        tablet.cookies["sessionid"] = cookie
        for name in ("stations-kiosk-offline-manifest", "stations-kiosk-offline"):
            answer = tablet.get(reverse(name))
            assert "Location" not in answer
            assert not answer.cookies

    tablet.cookies["sessionid"] = new_cookie
    ballot = tablet.get(reverse("stations-kiosk-ballot"))
    assert ballot.status_code == 200
    assert b"Send my vote" in ballot.content
    assert StationSession.objects.get().abandoned_recorded == 0
