import pytest

from budgets.models import Round
from tests.voting.results.factories import (
    ClosedEnvelopeFactory,
    OnBallotProposalFactory,
    cast,
    every_envelope,
)
from voting.models import Channel


@pytest.fixture
def closed_envelope(db, council):
    """A £10,000 envelope, voting closed, with three proposals and five ballots.

    Park benches (£4,000) gets 4 votes, Youth club (£5,000) 3, Street art (£3,000) 1:
    greedy by votes funds benches and youth club, and street art no longer fits.
    """
    envelope = ClosedEnvelopeFactory(
        round__fund__council=council,
        round__name="Riverton Decides",
        round__counting_rule="greedy",
        neighbourhood__name="Splott",
        neighbourhood__council=council,
    )
    benches = OnBallotProposalFactory(envelope=envelope, title="Park benches", cost_pence=4_000_00)
    youth = OnBallotProposalFactory(envelope=envelope, title="Youth club", cost_pence=5_000_00)
    art = OnBallotProposalFactory(envelope=envelope, title="Street art", cost_pence=3_000_00)
    cast(envelope, benches, youth)
    cast(envelope, benches, youth)
    cast(envelope, benches, youth, channel=Channel.PAPER)
    cast(envelope, benches, channel=Channel.POLLING_STATION)
    cast(envelope, art)
    envelope.proposals_by_title = {"benches": benches, "youth": youth, "art": art}
    return envelope


@pytest.fixture
def published_envelope(closed_envelope):
    """The `closed_envelope`, counted and its results published."""
    from voting.results.services import envelope_count, round_publish

    envelope_count(envelope_id=closed_envelope.pk)
    round_publish(
        round_id=closed_envelope.round_id,
        few_ballots_accepted=every_envelope(closed_envelope.round_id),
    )
    return closed_envelope


@pytest.fixture
def compared_envelope(db, council):
    """Park benches (£6,000), Youth club (£3,000) and Street art (£2,500) in £10,000,
    counted by Equal Shares with the comparison step, and published.

    Three voters choose benches and youth club, one street art. Equal Shares funds the
    benches and the art (shares big enough for the youth club too would overspend); most
    votes funds benches and youth club. The three prefer most votes, the fourth Equal
    Shares.
    """
    from voting.results.services import envelope_count, round_publish

    envelope = ClosedEnvelopeFactory(
        round__fund__council=council,
        round__counting_rule=Round.CountingRule.EQUAL_SHARES_ADD1_COMPARISON,
        neighbourhood__council=council,
    )
    benches = OnBallotProposalFactory(envelope=envelope, title="Park benches", cost_pence=6_000_00)
    youth = OnBallotProposalFactory(envelope=envelope, title="Youth club", cost_pence=3_000_00)
    art = OnBallotProposalFactory(envelope=envelope, title="Street art", cost_pence=2_500_00)
    for _ in range(3):
        cast(envelope, benches, youth)
    cast(envelope, art)
    envelope_count(envelope_id=envelope.pk)
    round_publish(
        round_id=envelope.round_id, few_ballots_accepted=every_envelope(envelope.round_id)
    )
    return envelope
