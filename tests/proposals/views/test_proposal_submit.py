import pytest
from django.urls import reverse

from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_the_author_submits_a_draft(client, resident, envelope):
    proposal = ProposalFactory(
        envelope=envelope, author=resident, status="draft", submitted_at=None
    )
    client.force_login(resident)
    response = client.post(reverse("proposals-submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.status == "submitted"


def test_it_refuses_get(client, resident, envelope):
    proposal = ProposalFactory(
        envelope=envelope, author=resident, status="draft", submitted_at=None
    )
    client.force_login(resident)
    assert client.get(reverse("proposals-submit", args=[proposal.pk])).status_code == 405


def test_submitting_twice_is_explained(client, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    client.force_login(resident)
    response = client.post(reverse("proposals-submit", args=[proposal.pk]))
    assert response.status_code == 403
    assert "Only a draft can be submitted" in response.content.decode()
