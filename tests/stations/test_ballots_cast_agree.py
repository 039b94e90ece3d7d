"""Trial 16/17, stumble 2: "ballots recorded" for a station session is one figure, worked
out in one place (stations.selectors.with_ballots_cast), and every screen shows the same:
the tablet's staff screen and closing page, the admin's session list and page, and the
station figures. Held declarations and offline ballots refused on arrival were cast at
the station whatever an officer decides, and none is counted twice once decided."""

import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from stations import offline, selectors
from stations.kiosk import KioskVoter
from stations.models import HeldDeclaration, OfflineBallot, StationSession
from stations.services import held_declaration_decide, station_ballot_cast
from tests.conftest import with_two_factor
from tests.stations.factories import STAFF_PIN
from voting.services import voter_codes_generate

pytestmark = pytest.mark.django_db


def _declare(session, envelope, staff, name, choice):
    voter = KioskVoter(
        envelope_id=envelope.pk,
        method="declaration",
        expires=time.time() + 60,
        name=name,
        postcode="CF24 2AB",
        checked_by_id=staff.pk,
    )
    return station_ballot_cast(
        session_id=session.pk, voter=voter, choices={choice: 1}, idempotency_key=uuid.uuid4()
    )


def _offline(session, envelope, code, choice):
    payload = {
        "method": "code",
        "code": code,
        "envelope": envelope.pk,
        "form": [["choice", str(choice)]],
    }
    return offline.offline_ballot_sync(session_id=session.pk, key=uuid.uuid4(), payload=payload)


def test_every_screen_shows_the_same_ballots_cast_with_offline_and_held_ones(
    client, station, anchor_staff, envelope, officer, on_ballot
):
    client.force_login(anchor_staff)
    client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    session = StationSession.objects.get(station=station, closed_at=None)
    codes = [
        c.code
        for c in voter_codes_generate(
            envelope_id=envelope.pk, size=2, created_by=officer
        ).codes.order_by("pk")
    ]
    trees = on_ballot["Trees"]
    # Stored straight away: a declaration and an offline code ballot.
    assert not _declare(session, envelope, anchor_staff, "Jon Evans", trees).held
    assert _offline(session, envelope, codes[0], trees).outcome == "counted"
    # A similar name: held, then approved (which stores it: it must not count twice).
    assert _declare(session, envelope, anchor_staff, "John Evans", trees).held
    held_declaration_decide(held_id=HeldDeclaration.objects.get().pk, officer=officer, approve=True)
    # Offline ballots refused on arrival (a used code): one rejected, one still waiting.
    rejected = _offline(session, envelope, codes[0], trees)
    assert rejected.outcome == OfflineBallot.Outcome.REFUSED
    offline.offline_ballot_decide(
        offline_id=rejected.pk, officer=officer, accept=False, note="Code used twice."
    )
    assert _offline(session, envelope, codes[0], trees).decision == "pending"
    cast = 5  # what staff count: five people filled in a ballot on this tablet

    assert selectors.ballots_cast(session) == cast

    client.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    staff = client.get(reverse("stations-kiosk-staff"))
    assert staff.context["today"].ballots == cast
    assert staff.context["today"].held_pending == 0  # approved: no longer waiting
    assert f'data-figure="ballots">{cast}<' in staff.content.decode()
    assert 'data-figure="held">0<' in staff.content.decode()

    client.post(
        reverse("stations-kiosk-close"),
        {
            "codes_issued": 2,
            "ballots": cast,
            "spoilt": 0,
            "refusals": 0,
            "closed_by": anchor_staff.pk,
            "note": "",
        },
    )
    closed = client.get(reverse("stations-kiosk-closed"))
    rows = {r.label: (r.reported, r.recorded) for r in closed.context["rows"]}
    assert rows["Ballots cast"] == (cast, cast)

    admin_client = Client()
    admin_client.force_login(with_two_factor(officer))
    listing = admin_client.get(reverse("admin:stations_stationsession_changelist"))
    (row,) = listing.context["cl"].result_list
    assert row.ballots_cast == cast
    assert "Ballots cast:" not in listing.content.decode()  # no difference to list
    page = admin_client.get(reverse("admin:stations_stationsession_change", args=[session.pk]))
    assert f"<td>{cast}</td><td>{cast}</td><td>none</td>" in page.content.decode()

    figures = admin_client.get(reverse("admin:stations_pollingstation_figures"))
    assert figures.context["figures"][0].stations[0].ballots_total == cast
