import pytest
from django.contrib.auth.models import Permission

from tests.neighbourhoods.factories import NeighbourhoodFactory, PostcodeFactory
from tests.proposals.factories import EnvelopeFactory, RoundFactory


@pytest.fixture
def neighbourhood(council):
    """Splott, where the shared `resident` fixture lives (CF24 2AB)."""
    neighbourhood = NeighbourhoodFactory(council=council, name="Splott", slug="splott")
    PostcodeFactory(neighbourhood=neighbourhood, council=council, postcode="CF24 2AB")
    return neighbourhood


@pytest.fixture
def envelope(neighbourhood):
    return EnvelopeFactory(
        round=RoundFactory(fund__council=neighbourhood.council, name="Splott Decides"),
        neighbourhood=neighbourhood,
        amount_pence=90_000_00,
    )


@pytest.fixture
def other_envelope(other_council):
    """An envelope in another council, where the `resident` does not live."""
    return EnvelopeFactory(round__fund__council=other_council, neighbourhood__name="Hilltop")


@pytest.fixture
def proposal_admin_permissions():
    return Permission.objects.filter(
        content_type__app_label="proposals", codename__in=["view_proposal", "change_proposal"]
    )


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
