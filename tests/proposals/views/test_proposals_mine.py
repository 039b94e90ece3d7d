import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_residents_own_ideas_in_every_state(client, resident, envelope):
    ProposalFactory(
        envelope=envelope, author=resident, title="My draft", status="draft", submitted_at=None
    )
    ProposalFactory(envelope=envelope, author=resident, title="My withdrawn", status="withdrawn")
    ProposalFactory(envelope=envelope, author=UserFactory(), title="Not mine")
    client.force_login(resident)
    html = client.get(reverse("proposals-mine")).content.decode()
    assert "My draft" in html and "My withdrawn" in html
    assert "Not mine" not in html


def test_it_needs_sign_in(client):
    assert client.get(reverse("proposals-mine")).status_code == 302
