import pytest
from django.urls import reverse

from budgets.models import Round
from tests.accounts.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _post(client, proposal, **changes):
    data = {
        "title": proposal.title,
        "summary": proposal.summary,
        "description": proposal.description,
        "cost": "3000",
        "category": proposal.category,
        **changes,
    }
    return client.post(reverse("proposals-edit", args=[proposal.pk]), data)


def test_the_form_starts_with_the_ideas_answers_in_pounds(client, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident, cost_pence=2_500_50)
    client.force_login(resident)
    html = client.get(reverse("proposals-edit", args=[proposal.pk])).content.decode()
    assert 'value="2500.50"' in html


def test_the_author_changes_their_idea(client, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    client.force_login(resident)
    response = _post(client, proposal, title="New title")
    proposal.refresh_from_db()
    assert response.status_code == 302
    assert (proposal.title, proposal.cost_pence) == ("New title", 3_000_00)


def test_someone_else_is_told_they_cannot(client, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident, title="Original")
    client.force_login(UserFactory())
    response = _post(client, proposal, title="Hijacked")
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.title == "Original"


def test_it_cannot_be_changed_once_review_starts(client, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.REVIEW)
    client.force_login(resident)
    response = _post(client, proposal, title="Late")
    assert response.status_code == 403
    assert "closed on" in response.content.decode()
