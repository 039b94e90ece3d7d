import datetime

import factory
from django.utils import timezone

from budgets.models import Envelope, Fund, Round
from proposals.models import Proposal
from tests.neighbourhoods.factories import CouncilFactory, NeighbourhoodFactory


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Neighbourhood Fund {n}")
    total_pence = 500_000_00


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    phase = Round.Phase.PROPOSALS_OPEN
    proposals_open_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    review_starts_at = factory.LazyAttribute(
        lambda o: o.proposals_open_at + datetime.timedelta(days=28)
    )
    voting_opens_at = factory.LazyAttribute(
        lambda o: o.review_starts_at + datetime.timedelta(days=14)
    )
    voting_closes_at = factory.LazyAttribute(
        lambda o: o.voting_opens_at + datetime.timedelta(days=14)
    )


class EnvelopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Envelope

    round = factory.SubFactory(RoundFactory)
    neighbourhood = factory.SubFactory(
        NeighbourhoodFactory, council=factory.SelfAttribute("..round.fund.council")
    )
    amount_pence = 100_000_00


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
