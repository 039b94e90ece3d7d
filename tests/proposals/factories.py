import factory
from django.utils import timezone

from proposals.models import Proposal
from tests.budgets.factories import EnvelopeFactory, FundFactory, RoundFactory

__all__ = [
    "EnvelopeFactory",
    "FundFactory",
    "ProposalFactory",
    "PublicProposalFactory",
    "RoundFactory",
]


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    envelope = factory.SubFactory(EnvelopeFactory)
    title = factory.Sequence(lambda n: f"Idea number {n}")
    summary = "Make the neighbourhood a little better."
    description = "A longer description of what would happen and who it would help."
    cost_pence = 2_500_00
    category = Proposal.Category.GREEN_SPACES
    status = Proposal.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class PublicProposalFactory(ProposalFactory):
    """An idea an officer has checked, so it is on the public list."""

    status = Proposal.Status.FEASIBLE
