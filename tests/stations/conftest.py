import pytest
from allauth.account.models import EmailAddress

from budgets.models import Round
from tests.accounts.factories import UserFactory
from tests.conftest import with_two_factor
from tests.stations.factories import PollingStationFactory, StationSessionFactory
from tests.voting.conftest import make_voting_envelope


@pytest.fixture
def envelope(council):
    return make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)


@pytest.fixture
def on_ballot(envelope):
    return dict(envelope.proposals.values_list("title", "pk"))


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
