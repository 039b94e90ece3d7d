import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from proposals.models import Proposal
from proposals.services import proposal_hide
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_it_hides_an_idea_with_a_public_reason(officer, envelope):
    proposal = ProposalFactory(envelope=envelope)
    proposal_hide(proposal=proposal, officer=officer, reason="Abusive language.")
    proposal.refresh_from_db()
    assert proposal.hidden is True
    assert proposal.hidden_reason == "Abusive language."
    assert Proposal.objects.public().exists() is False


def test_it_needs_a_reason(officer, envelope):
    with pytest.raises(ValidationError, match="Give a reason for hiding"):
        proposal_hide(proposal=ProposalFactory(envelope=envelope), officer=officer, reason="")


def test_another_councils_officer_cannot_hide(outsider, envelope):
    with pytest.raises(PermissionDenied):
        proposal_hide(proposal=ProposalFactory(envelope=envelope), officer=outsider, reason="x")
