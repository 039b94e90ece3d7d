from datetime import timedelta

import factory
from django.utils import timezone

from budgets.models import Envelope, Fund, Round
from tests.neighbourhoods.factories import CouncilFactory, NeighbourhoodFactory


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Levelling Up Fund {n}")
    total_pence = 500_000_00


class RoundFactory(factory.django.DjangoModelFactory):
    """A round in its proposals phase, with voting a few weeks away."""

    class Meta:
        model = Round

    class Params:
        start = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    phase = Round.Phase.PROPOSALS_OPEN
    proposals_open_at = factory.LazyAttribute(lambda o: o.start)
    review_starts_at = factory.LazyAttribute(lambda o: o.start + timedelta(days=28))
    voting_opens_at = factory.LazyAttribute(lambda o: o.start + timedelta(days=42))
    voting_closes_at = factory.LazyAttribute(lambda o: o.start + timedelta(days=56))


class EnvelopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Envelope

    round = factory.SubFactory(RoundFactory)
    neighbourhood = factory.SubFactory(
        NeighbourhoodFactory, council=factory.SelfAttribute("..round.fund.council")
    )
    amount_pence = 100_000_00


class DraftRoundFactory(RoundFactory):
    """A round still being set up: its envelopes and rules may change."""

    phase = Round.Phase.DRAFT


class DraftEnvelopeFactory(EnvelopeFactory):
    round = factory.SubFactory(DraftRoundFactory)
