import pytest
from django.core.exceptions import ValidationError

from budgets.models import Round
from proposals.models import Proposal
from proposals.services import proposal_withdraw
from tests.accounts.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_the_author_can_withdraw_during_review(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.REVIEW)
    assert proposal_withdraw(proposal=proposal, user=resident).status == "withdrawn"


def test_someone_else_cannot_withdraw_it(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    with pytest.raises(ValidationError, match="Only the person who suggested this idea"):
        proposal_withdraw(proposal=proposal, user=UserFactory())


def test_an_idea_on_the_ballot_cannot_be_withdrawn(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident, status="on_ballot")
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        proposal_withdraw(proposal=proposal, user=resident)


def test_it_cannot_be_withdrawn_once_voting_starts(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_OPEN)
    with pytest.raises(ValidationError, match="once voting has started"):
        proposal_withdraw(proposal=proposal, user=resident)


def test_a_withdrawn_idea_stays_withdrawn(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident, status=Proposal.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="it is withdrawn"):
        proposal_withdraw(proposal=proposal, user=resident)
