import factory
from django.utils import timezone

from budgets.models import Envelope, Round
from proposals.models import Proposal
from tests.accounts.factories import UserFactory
from tests.proposals.factories import EnvelopeFactory, ProposalFactory, RoundFactory
from voting.keys import new_receipt, unlinked_ballot_key
from voting.models import Ballot, BallotChoice, Channel, Participation

__all__ = [
    "BallotFactory",
    "ClosedEnvelopeFactory",
    "OnBallotProposalFactory",
    "cast",
]


class ClosedEnvelopeFactory(EnvelopeFactory):
    """An envelope of a round whose voting has just closed: ready to count."""

    round = factory.SubFactory(
        RoundFactory, phase=Round.Phase.VOTING_CLOSED, ballot_rule=Round.BallotRule.APPROVAL
    )
    amount_pence = 10_000_00


class OnBallotProposalFactory(ProposalFactory):
    status = Proposal.Status.ON_BALLOT


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    envelope = factory.SubFactory(ClosedEnvelopeFactory)
    ballot_key = factory.LazyFunction(unlinked_ballot_key)
    receipt = factory.LazyFunction(new_receipt)
    channel = Channel.ONLINE


def cast(envelope, *proposals, points=None, channel=Channel.ONLINE, voter=None) -> Ballot:
    """Store one voter's ballot and participation, as the cast service would."""
    ballot = BallotFactory(envelope=envelope, channel=channel)
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, proposal=p, points=(points[i] if points else 1))
        for i, p in enumerate(proposals)
    )
    Participation.objects.create(
        round_id=envelope.round_id,
        envelope=envelope,
        voter=voter or UserFactory(),
        channel=channel,
        voted_on=timezone.localdate(),
    )
    return ballot


def every_envelope(round_id) -> list[int]:
    """Every envelope of a round, for publishing small test rounds: an officer has ticked
    that their few voters may be shown (voting.results.services.round_publish)."""
    return list(Envelope.objects.filter(round_id=round_id).values_list("pk", flat=True))
