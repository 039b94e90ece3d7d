import pytest
from django.core.exceptions import ValidationError

from budgets.models import Round
from proposals.models import Proposal
from proposals.services import proposal_submit
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _draft(envelope, author):
    return ProposalFactory(
        envelope=envelope, author=author, status=Proposal.Status.DRAFT, submitted_at=None
    )


def test_it_submits_a_draft(resident, envelope):
    proposal = proposal_submit(proposal=_draft(envelope, resident), user=resident)
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.submitted_at is not None


def test_it_refuses_to_submit_twice(resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident)
    with pytest.raises(ValidationError, match="Only a draft can be submitted"):
        proposal_submit(proposal=proposal, user=resident)


def test_it_refuses_after_proposals_close(resident, envelope):
    proposal = _draft(envelope, resident)
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_OPEN)
    with pytest.raises(ValidationError, match="closed on"):
        proposal_submit(proposal=proposal, user=resident)


def test_drafts_do_not_count_but_submitting_past_the_limit_is_refused(resident, envelope, settings):
    settings.PROPOSALS_PER_RESIDENT_PER_ROUND = 1
    first, second = ProposalFactory.create_batch(
        2, envelope=envelope, author=resident, status=Proposal.Status.DRAFT, submitted_at=None
    )
    proposal_submit(proposal=first, user=resident)
    with pytest.raises(ValidationError, match="already submitted 1 ideas in this round"):
        proposal_submit(proposal=second, user=resident)
    second.refresh_from_db()
    assert second.status == Proposal.Status.DRAFT
