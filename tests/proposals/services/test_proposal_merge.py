import pytest
from django.core.exceptions import ValidationError

from proposals.models import Proposal
from proposals.services import proposal_merge
from tests.proposals.factories import EnvelopeFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def test_a_duplicate_leaves_the_list_and_points_to_the_idea_kept(officer, envelope):
    kept = ProposalFactory(envelope=envelope, title="Benches by the river", status="feasible")
    duplicate = ProposalFactory(envelope=envelope)
    proposal_merge(duplicate=duplicate, into=kept, officer=officer)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert duplicate.status == Proposal.Status.WITHDRAWN
    assert "“Benches by the river”" in duplicate.review_reason
    assert list(Proposal.objects.public()) == [kept]


def test_it_refuses_to_merge_an_idea_into_itself(officer, envelope):
    proposal = ProposalFactory(envelope=envelope)
    with pytest.raises(ValidationError, match="cannot be joined with itself"):
        proposal_merge(duplicate=proposal, into=proposal, officer=officer)


def test_it_refuses_ideas_from_different_neighbourhoods(officer, envelope):
    elsewhere = ProposalFactory(envelope=EnvelopeFactory(round=envelope.round))
    with pytest.raises(ValidationError, match="same neighbourhood"):
        proposal_merge(
            duplicate=ProposalFactory(envelope=envelope), into=elsewhere, officer=officer
        )


def test_it_refuses_to_merge_into_a_withdrawn_idea(officer, envelope):
    withdrawn = ProposalFactory(envelope=envelope, status="withdrawn")
    with pytest.raises(ValidationError, match="not on the public list"):
        proposal_merge(
            duplicate=ProposalFactory(envelope=envelope), into=withdrawn, officer=officer
        )
