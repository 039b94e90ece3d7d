import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from budgets.models import Round
from tests.voting.results.factories import ClosedEnvelopeFactory, OnBallotProposalFactory, cast
from voting.results.ballots import ballot_projects, read_election
from voting.results.canonical import canonical_pb
from voting.results.models import EnvelopeCount, ProposalResult
from voting.results.services import envelope_count


def test_it_stores_the_selected_proposals_votes_and_spending(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)

    p = closed_envelope.proposals_by_title
    funded = set(outcome.proposal_results.filter(funded=True).values_list("proposal", flat=True))
    assert funded == {p["benches"].pk, p["youth"].pk}
    assert outcome.total_cost_pence == 9_000_00
    assert outcome.budget_pence == 10_000_00
    assert outcome.ballot_count == 5
    assert outcome.proposal_results.get(proposal=p["benches"]).votes == 4


def test_it_records_the_rule_and_tie_break(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)

    assert (outcome.rule, outcome.tie_break, outcome.vote_type) == ("greedy", "id", "approval")
    assert outcome.engine_version.startswith("sha256:")


def test_it_hashes_the_canonical_ballot_file(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)

    election = read_election(closed_envelope, ballot_projects(closed_envelope))
    expected = hashlib.sha256(canonical_pb(election).encode()).hexdigest()
    assert outcome.input_sha256 == expected


def test_it_explains_why_a_proposal_lost(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)

    art = outcome.proposal_results.get(proposal=closed_envelope.proposals_by_title["art"])
    assert art.funded is False
    assert art.reason == "no_money_left"
    assert "not enough money left" in art.reason_text


def test_it_ranks_funded_proposals_first_in_the_order_funded(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)

    titles = [r.proposal.title for r in outcome.proposal_results.order_by("rank")]
    assert titles == ["Park benches", "Youth club", "Street art"]


def test_it_moves_the_round_to_counted_when_every_envelope_is_counted(closed_envelope):
    envelope_count(envelope_id=closed_envelope.pk)

    closed_envelope.round.refresh_from_db()
    assert closed_envelope.round.phase == Round.Phase.COUNTED


def test_it_publishes_straight_away_if_the_round_says_so(closed_envelope, settings):
    settings.FEW_BALLOTS_THRESHOLD = 5  # its five ballots are enough
    Round.objects.filter(pk=closed_envelope.round_id).update(publish_automatically=True)

    outcome = envelope_count(envelope_id=closed_envelope.pk)

    closed_envelope.round.refresh_from_db()
    outcome.refresh_from_db()
    assert closed_envelope.round.phase == Round.Phase.PUBLISHED
    assert outcome.is_published is True


def test_it_returns_the_stored_outcome_when_triggered_twice(closed_envelope):
    first = envelope_count(envelope_id=closed_envelope.pk)
    second = envelope_count(envelope_id=closed_envelope.pk)

    assert second.pk == first.pk
    assert EnvelopeCount.objects.count() == 1
    assert ProposalResult.objects.count() == 3


def test_it_refuses_an_envelope_whose_voting_is_open(closed_envelope):
    Round.objects.filter(pk=closed_envelope.round_id).update(phase=Round.Phase.VOTING_OPEN)

    with pytest.raises(ValidationError, match="Only an envelope whose voting has closed"):
        envelope_count(envelope_id=closed_envelope.pk)
    assert EnvelopeCount.objects.exists() is False


def test_the_database_refuses_a_second_outcome_for_an_envelope(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)
    outcome.pk = None

    with pytest.raises(IntegrityError):
        outcome.save()


def test_it_counts_points_for_a_cumulative_round(council):
    # The ballot rule is set when the round is made: the database fixes it once the round
    # has left its draft.
    envelope = ClosedEnvelopeFactory(
        round__fund__council=council,
        round__counting_rule="greedy",
        round__ballot_rule=Round.BallotRule.CUMULATIVE,
        round__points_total=10,
        round__points_per_proposal_max=10,
        neighbourhood__council=council,
    )
    benches = OnBallotProposalFactory(envelope=envelope, cost_pence=4_000_00)
    youth = OnBallotProposalFactory(envelope=envelope, cost_pence=5_000_00)
    cast(envelope, benches, youth, points=[3, 7])
    cast(envelope, benches, points=[1])
    outcome = envelope_count(envelope_id=envelope.pk)

    assert outcome.vote_type == "cumulative"
    assert outcome.proposal_results.get(proposal=benches).points == 4
    assert outcome.proposal_results.get(proposal=youth).points == 7
