"""The kiosk's "Give a paper ballot instead" page through Django's test client."""

import pytest
from django.urls import reverse

from stations import kiosk
from stations.models import StationSession
from tests.stations import test_kiosk_views
from tests.stations.factories import STAFF_PIN, PollingStationFactory
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot, Channel, Participation
from voting.services import voter_codes_generate

pytestmark = pytest.mark.django_db

# The kiosk tests' opened tablet and voter code.
tablet = test_kiosk_views.tablet
code = test_kiosk_views.code

URL = reverse("stations-kiosk-paper")


def test_the_ballot_links_to_the_paper_page(tablet, code):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    assert URL in tablet.get(reverse("stations-kiosk-ballot")).content.decode()


def test_without_a_checked_voter_there_is_nobody_to_hand_paper(tablet):
    assert tablet.get(URL)["Location"] == reverse("stations-kiosk")


def test_a_wrong_pin_hands_out_nothing(tablet, code):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    response = tablet.post(URL, {"pin": "0000"})
    assert response.status_code == 400
    assert "That PIN is not right." in response.content.decode()
    assert Participation.objects.exists() is False
    assert kiosk.VOTER in tablet.session


def test_staff_hand_out_paper_and_the_tablet_forgets_the_voter(tablet, code):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    voter_session = tablet.session.session_key
    page = tablet.get(URL)
    assert page["Cache-Control"].startswith("no-store")
    assert "Give a paper ballot instead" in page.content.decode()

    response = tablet.post(URL, {"pin": STAFF_PIN})

    assert response["Location"] == reverse("stations-kiosk")
    assert response["Clear-Site-Data"] == '"cache"'
    assert tablet.session.session_key != voter_session
    assert kiosk.VOTER not in tablet.session
    assert Participation.objects.get().channel == Channel.PAPER
    assert StationSession.objects.get().papers_issued_recorded == 1
    assert Ballot.objects.exists() is False
    start = tablet.get(reverse("stations-kiosk")).content.decode()
    assert "Paper ballot handed out." in start

    # The same code again: refused, on paper and on the tablet.
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    assert kiosk.VOTER not in tablet.session

    tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    figures = tablet.get(reverse("stations-kiosk-staff"))
    assert figures.context["today"].papers == 1
    assert 'data-figure="papers">1<' in figures.content.decode()


def test_where_the_round_has_an_age_rule_a_code_voter_confirms_their_age(
    client, council, anchor_staff, officer
):
    aged = make_voting_envelope(council, minimum_age=16)
    station = PollingStationFactory(round=aged.round, neighbourhoods=[aged.neighbourhood])
    station.anchor.staff.add(anchor_staff)
    client.force_login(anchor_staff)
    client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    code = voter_codes_generate(envelope_id=aged.pk, size=1, created_by=officer).codes.get()
    client.post(reverse("stations-kiosk-code"), {"code": code.code})
    assert "I am 16 or older" in client.get(URL).content.decode()

    refused = client.post(URL, {"pin": STAFF_PIN})
    assert refused.status_code == 400
    assert "Confirm that you are 16 or older to vote." in refused.content.decode()
    assert Participation.objects.exists() is False

    client.post(URL, {"pin": STAFF_PIN, "age_confirmed": "yes"})
    assert Participation.objects.get().channel == Channel.PAPER
