"""Ideas are public only once an officer has checked them, unless the round says otherwise."""

import pytest
from django.urls import reverse

from budgets.models import Round
from proposals.models import Proposal
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _list(client, envelope):
    response = client.get(reverse("proposals-envelope", args=[envelope.pk]))
    return [p.title for p in response.context["page"].object_list]


def test_an_idea_waiting_for_review_is_private_to_its_author(client, resident, envelope):
    waiting = ProposalFactory(envelope=envelope, author=resident, title="Waiting")
    ProposalFactory(envelope=envelope, title="Checked", status=Proposal.Status.FEASIBLE)
    assert _list(client, envelope) == ["Checked"]
    assert client.get(waiting.get_absolute_url()).status_code == 404
    client.force_login(resident)
    html = client.get(waiting.get_absolute_url()).content.decode()
    assert "Only you can see this idea for now" in html


def test_a_round_can_show_ideas_before_review(client, envelope):
    Round.objects.filter(pk=envelope.round_id).update(show_ideas_before_review=True)
    waiting = ProposalFactory(envelope=envelope, title="Waiting")
    assert _list(client, envelope) == ["Waiting"]
    assert client.get(waiting.get_absolute_url()).status_code == 200


def test_a_withdrawn_idea_is_not_shown_to_others(client, envelope):
    withdrawn = ProposalFactory(envelope=envelope, status=Proposal.Status.WITHDRAWN)
    assert client.get(withdrawn.get_absolute_url()).status_code == 404


def test_at_the_limit_the_ideas_page_says_why_instead_of_offering_the_button(
    client, resident, envelope, settings
):
    settings.PROPOSALS_PER_RESIDENT_PER_ROUND = 1
    ProposalFactory(envelope=envelope, author=resident)
    client.force_login(resident)
    html = client.get(reverse("proposals-envelope", args=[envelope.pk])).content.decode()
    assert "already submitted 1 ideas" in html
    assert reverse("proposals-create", args=[envelope.pk]) not in html
