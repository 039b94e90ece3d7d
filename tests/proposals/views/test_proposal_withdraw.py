import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_it_asks_before_withdrawing(client, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    client.force_login(resident)
    response = client.get(reverse("proposals-withdraw", args=[proposal.pk]))
    assert "Are you sure you want to withdraw your idea?" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_the_author_withdraws_their_idea(client, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    client.force_login(resident)
    response = client.post(reverse("proposals-withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert response["Location"] == reverse("proposals-mine")
    assert proposal.status == "withdrawn"


def test_someone_else_cannot_withdraw_it(client, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    client.force_login(UserFactory())
    assert client.post(reverse("proposals-withdraw", args=[proposal.pk])).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
