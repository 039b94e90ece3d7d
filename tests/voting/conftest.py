import pytest

from budgets.models import Round
from neighbourhoods.models import Neighbourhood
from proposals.models import Proposal
from tests.budgets.factories import EnvelopeFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory, PostcodeFactory
from tests.proposals.factories import ProposalFactory


def make_voting_envelope(council, *, amount_pence=30_000_00, **round_fields):
    """An envelope of Splott (where the `resident` fixture lives) with voting open and
    three proposals on the ballot, costing £10,000, £15,000 and £20,000."""
    neighbourhood = Neighbourhood.objects.filter(council=council, slug="splott").first()
    if neighbourhood is None:
        neighbourhood = NeighbourhoodFactory(council=council, name="Splott", slug="splott")
        PostcodeFactory(neighbourhood=neighbourhood, postcode="CF24 2AB")
    envelope = EnvelopeFactory(
        round__fund__council=council,
        round__phase=Round.Phase.VOTING_OPEN,
        round__name="Splott Decides",
        neighbourhood=neighbourhood,
        amount_pence=amount_pence,
        **{f"round__{name}": value for name, value in round_fields.items()},
    )
    for title, cost in [("Benches", 10_000_00), ("Play area", 15_000_00), ("Trees", 20_000_00)]:
        ProposalFactory(
            envelope=envelope, title=title, cost_pence=cost, status=Proposal.Status.ON_BALLOT
        )
    return envelope


@pytest.fixture
def envelope(council):
    return make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)


@pytest.fixture
def on_ballot(envelope):
    """The proposals on the ballot by title: {"Benches": id, "Play area": id, "Trees": id}."""
    return dict(envelope.proposals.values_list("title", "pk"))


def add_riverside(envelope):
    """A second envelope in the same round, for Riverside (postcode CF10 5AL), with one
    proposal on its ballot."""
    riverside = NeighbourhoodFactory(council=envelope.neighbourhood.council, name="Riverside")
    PostcodeFactory(neighbourhood=riverside, postcode="CF10 5AL")
    other = EnvelopeFactory(round=envelope.round, neighbourhood=riverside, amount_pence=10_000_00)
    ProposalFactory(
        envelope=other, title="Cycle racks", cost_pence=5_000_00, status=Proposal.Status.ON_BALLOT
    )
    return other
