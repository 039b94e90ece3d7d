"""Trial 16/17, stumbles 18 and 20: the kiosk's start screen says when voting has closed
(and takes no code), and the Welsh staff screen gives a held declaration's reason in
Welsh, whatever language the declaration was taken in."""

import html
import time
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from budgets.models import Round
from stations.kiosk import KioskVoter
from stations.models import StationSession
from stations.services import station_ballot_cast
from tests.stations.factories import STAFF_PIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def tablet(client, station, anchor_staff):
    client.force_login(anchor_staff)
    client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    return client


def test_the_start_screen_says_voting_has_closed_and_takes_no_code(tablet, station):
    assert b"Vote here" in tablet.get(reverse("stations-kiosk")).content
    Round.objects.filter(pk=station.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    page = tablet.get(reverse("stations-kiosk")).content.decode()
    assert '<h1 class="govuk-heading-xl">Voting has closed</h1>' in page
    assert "Vote here" not in page
    assert 'name="code"' not in page
    assert "Staff only" in page


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


def test_the_welsh_staff_screen_gives_a_held_declaration_s_reason_in_welsh(
    tablet, station, envelope, anchor_staff, on_ballot
):
    session = StationSession.objects.get(station=station, closed_at=None)
    with translation.override("en-gb"):  # taken on an English screen
        _declare(session, envelope, anchor_staff, "Jon Evans", on_ballot["Trees"])
        assert _declare(session, envelope, anchor_staff, "John Evans", on_ballot["Trees"]).held
    tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    with translation.override("cy"):
        url = reverse("stations-kiosk-staff")
    page = tablet.get(url).content.decode()
    assert "Mae rhywun ag enw tebyg yn yr un cod post wedi pleidleisio" in page
    assert "Someone with a similar name" not in page
    assert 'data-figure="held">1<' in page


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_the_declaration_screen_speaks_of_the_person_as_they(tablet, language):
    tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    with translation.override(language):
        url = reverse("stations-kiosk-declaration")
    page = html.unescape(tablet.get(url).content.decode())
    they, he = {
        "en-gb": (["their details", "to them", "they confirm"], [" he ", " his ", " him"]),
        "cy": (
            ["eu manylion", "iddyn nhw", "maen nhw'n cadarnhau"],
            ["iddo", "arno.", "ei fanylion"],
        ),
    }[language]
    assert all(word in page for word in they), page
    assert not any(word in page for word in he)
