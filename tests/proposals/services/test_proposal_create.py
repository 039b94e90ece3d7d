import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from budgets.models import Round
from proposals.models import Proposal
from proposals.services import proposal_create
from tests.proposals.factories import EnvelopeFactory, ProposalFactory

pytestmark = pytest.mark.django_db

CONTENT = {
    "title": "Benches by the river",
    "summary": "Somewhere to sit.",
    "description": "Six benches along the path.",
    "cost_pence": 900_000,
    "category": Proposal.Category.OLDER_PEOPLE,
}


def test_it_saves_a_residents_idea_as_a_draft(resident, envelope):
    proposal = proposal_create(user=resident, envelope=envelope, **CONTENT)
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.author == resident
    assert proposal.submitted_at is None


def test_it_refuses_a_resident_from_outside_the_neighbourhood(resident, other_envelope):
    with pytest.raises(ValidationError, match="Only people who live in Hilltop"):
        proposal_create(user=resident, envelope=other_envelope, **CONTENT)


def test_it_refuses_someone_without_a_home_postcode(officer, envelope):
    with pytest.raises(ValidationError, match="Add your home postcode"):
        proposal_create(user=officer, envelope=envelope, **CONTENT)


@pytest.mark.parametrize(
    ("phase", "message"),
    [(Round.Phase.DRAFT, "can be suggested from"), (Round.Phase.REVIEW, "closed on")],
)
def test_it_refuses_outside_the_proposals_phase(resident, neighbourhood, phase, message):
    # Rounds never go back to their draft, so each case starts in its phase.
    envelope = EnvelopeFactory(
        round__fund__council=neighbourhood.council, round__phase=phase, neighbourhood=neighbourhood
    )
    with pytest.raises(ValidationError, match=message):
        proposal_create(user=resident, envelope=envelope, **CONTENT)


def test_it_refuses_a_cost_above_the_envelope(resident, envelope):
    with pytest.raises(ValidationError, match="whole share, £90,000"):
        proposal_create(user=resident, envelope=envelope, **{**CONTENT, "cost_pence": 90_000_01})


def test_the_database_refuses_a_zero_cost(envelope):
    with pytest.raises(IntegrityError):
        ProposalFactory(envelope=envelope, cost_pence=0)


def test_it_refuses_text_over_the_limits(resident, envelope):
    with pytest.raises(ValidationError, match="at most 80 characters"):
        proposal_create(user=resident, envelope=envelope, **{**CONTENT, "title": "x" * 81})


def test_it_stops_one_resident_flooding_a_round(resident, envelope, settings):
    settings.PROPOSALS_PER_RESIDENT_PER_ROUND = 2
    ProposalFactory.create_batch(2, envelope=envelope, author=resident)
    with pytest.raises(ValidationError, match="already submitted 2 ideas in this round"):
        proposal_create(user=resident, envelope=envelope, **CONTENT)


def test_withdrawn_ideas_do_not_count_towards_the_limit(resident, envelope, settings):
    settings.PROPOSALS_PER_RESIDENT_PER_ROUND = 1
    ProposalFactory(envelope=envelope, author=resident, status=Proposal.Status.WITHDRAWN)
    assert proposal_create(user=resident, envelope=envelope, **CONTENT).pk is not None


def test_the_limit_counts_the_whole_round_not_one_envelope(resident, envelope, settings):
    settings.PROPOSALS_PER_RESIDENT_PER_ROUND = 1
    ProposalFactory(envelope=EnvelopeFactory(round=envelope.round), author=resident)
    with pytest.raises(ValidationError, match="already submitted 1 ideas"):
        proposal_create(user=resident, envelope=envelope, **CONTENT)
