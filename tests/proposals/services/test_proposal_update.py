import pytest
from django.core.exceptions import ValidationError

from budgets.models import Round
from proposals.models import Proposal
from proposals.services import proposal_update
from tests.accounts.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_the_author_can_change_a_submitted_idea_while_proposals_are_open(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    proposal_update(proposal=proposal, user=resident, title="Better title")
    proposal.refresh_from_db()
    assert proposal.title == "Better title"


def test_nobody_else_can_change_it(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    with pytest.raises(ValidationError, match="Only the person who suggested"):
        proposal_update(proposal=proposal, user=UserFactory(), title="Mine now")


def test_it_cannot_be_changed_once_review_starts(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.REVIEW)
    with pytest.raises(ValidationError, match="closed on"):
        proposal_update(proposal=proposal, user=resident, title="Too late")


def test_it_cannot_be_changed_once_reviewed(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident, status=Proposal.Status.FEASIBLE)
    with pytest.raises(ValidationError, match="can no longer be changed: it is can be done"):
        proposal_update(proposal=proposal, user=resident, title="Too late")


def test_it_refuses_unknown_fields(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    with pytest.raises(TypeError, match="Not proposal content: status"):
        proposal_update(proposal=proposal, user=resident, status="funded")
