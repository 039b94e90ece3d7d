import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budgets.models import Round
from outbox.models import Message
from proposals.models import Proposal
from proposals.services import proposal_review
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def test_an_officer_marks_an_idea_feasible_with_a_council_cost(officer, envelope):
    proposal = ProposalFactory(envelope=envelope)
    proposal_review(proposal=proposal, officer=officer, feasible=True, adjusted_cost_pence=3000_00)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.FEASIBLE
    assert proposal.adjusted_cost_pence == 3000_00


def test_not_feasible_needs_a_public_reason(officer, envelope):
    proposal = ProposalFactory(envelope=envelope)
    with pytest.raises(ValidationError, match="Give a reason when an idea cannot be done"):
        proposal_review(proposal=proposal, officer=officer, feasible=False, reason="  ")


def test_it_records_the_reason(officer, envelope):
    proposal = ProposalFactory(envelope=envelope)
    proposal_review(proposal=proposal, officer=officer, feasible=False, reason="Not our land.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.review_reason) == ("not_feasible", "Not our land.")


def test_another_councils_officer_cannot_review(outsider, envelope):
    proposal = ProposalFactory(envelope=envelope)
    with pytest.raises(PermissionDenied):
        proposal_review(proposal=proposal, officer=outsider, feasible=True)


@pytest.mark.parametrize("status", ["draft", "withdrawn", "on_ballot", "funded"])
def test_it_refuses_illegal_moves(officer, envelope, status):
    proposal = ProposalFactory(envelope=envelope, status=status)
    with pytest.raises(ValidationError, match="Only submitted ideas can be reviewed"):
        proposal_review(proposal=proposal, officer=officer, feasible=True)


def test_it_refuses_once_voting_opens(officer, envelope):
    proposal = ProposalFactory(envelope=envelope)
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_OPEN)
    with pytest.raises(ValidationError, match="before voting opens"):
        proposal_review(proposal=proposal, officer=officer, feasible=True)


def test_the_council_cost_cannot_exceed_the_envelope(officer, envelope):
    proposal = ProposalFactory(envelope=envelope)
    with pytest.raises(ValidationError, match="whole share"):
        proposal_review(
            proposal=proposal, officer=officer, feasible=True, adjusted_cost_pence=90_000_01
        )


def test_it_writes_the_authors_email_to_the_outbox_and_sends_nothing_itself(
    officer, resident, envelope, mailoutbox
):
    proposal = ProposalFactory(envelope=envelope, author=resident, title="Benches")
    proposal_review(proposal=proposal, officer=officer, feasible=False, reason="No room.")
    [message] = Message.objects.all()
    assert (message.kind, message.payload) == (
        "proposals.status_email",
        {"proposal_id": proposal.pk},
    )
    assert mailoutbox == []
