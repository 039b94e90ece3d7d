import pytest
from allauth.account.models import EmailAddress

from tests.accounts.factories import UserFactory
from tests.conftest import with_two_factor
from tests.stations.factories import PollingStationFactory, StationSessionFactory
from tests.voting import conftest as voting_fixtures

# The same envelope and ballot as voting's tests.
envelope = voting_fixtures.envelope
on_ballot = voting_fixtures.on_ballot


@pytest.fixture
def anchor_staff(db):
    user = UserFactory(
        email="aled@anchor.test",
        display_name="Aled",
        is_staff=True,
        password="an-anchor-passphrase",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return with_two_factor(user)


@pytest.fixture
def station(envelope, anchor_staff):
    station = PollingStationFactory(
        round=envelope.round,
        place="Splott Community Centre",
        neighbourhoods=[envelope.neighbourhood],
    )
    station.anchor.staff.add(anchor_staff)
    return station


@pytest.fixture
def session(station, anchor_staff):
    return StationSessionFactory(station=station, opened_by=anchor_staff)
