"""The kiosk's page for when the network is down: a voter at a station that serves more
than one neighbourhood picks theirs from a list, in the order of the names it shows."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.budgets.factories import EnvelopeFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.pages import in_page_order
from tests.stations.factories import STAFF_PIN, PollingStationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tablet(client, envelope, anchor_staff):
    """A station open for Splott, Riverside and Llandaff North."""
    splott = envelope.neighbourhood
    splott.name_cy = "Sblot"
    splott.save()
    places = [splott]
    for name, name_cy in [("Riverside", "Glan-yr-afon"), ("Llandaff North", "Ystum Taf")]:
        place = NeighbourhoodFactory(council=splott.council, name=name, name_cy=name_cy)
        EnvelopeFactory(round=envelope.round, neighbourhood=place)
        places.append(place)
    station = PollingStationFactory(round=envelope.round, neighbourhoods=places)
    station.anchor.staff.add(anchor_staff)
    client.force_login(anchor_staff)
    client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    return client


def test_the_neighbourhoods_are_in_the_order_of_the_names_the_page_shows(tablet):
    english = tablet.get(reverse("stations-kiosk-offline")).content.decode()
    with translation.override("cy"):
        welsh_url = reverse("stations-kiosk-offline")
    welsh = tablet.get(welsh_url).content.decode()

    assert in_page_order(english, ["Llandaff North", "Riverside", "Splott"])
    assert in_page_order(welsh, ["Glan-yr-afon", "Sblot", "Ystum Taf"])
