import pytest
from django.core.exceptions import ValidationError

from proposals.services import proposal_put_on_ballot
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_a_feasible_idea_goes_on_the_ballot(officer, envelope):
    proposal = ProposalFactory(envelope=envelope, status="feasible")
    assert proposal_put_on_ballot(proposal=proposal, officer=officer).status == "on_ballot"


@pytest.mark.parametrize("status", ["submitted", "not_feasible", "withdrawn", "draft"])
def test_only_feasible_ideas_go_on_the_ballot(officer, envelope, status):
    proposal = ProposalFactory(envelope=envelope, status=status, review_reason="Because.")
    with pytest.raises(ValidationError, match="Only ideas that can be done go on the ballot"):
        proposal_put_on_ballot(proposal=proposal, officer=officer)


def test_a_hidden_idea_never_goes_on_the_ballot(officer, envelope):
    proposal = ProposalFactory(envelope=envelope, status="feasible", hidden=True, hidden_reason="x")
    with pytest.raises(ValidationError, match="Only ideas that can be done"):
        proposal_put_on_ballot(proposal=proposal, officer=officer)
