import pytest
from django.core.exceptions import ValidationError

from budgets.models import Round
from budgets.services import round_advance
from tests.budgets.factories import EnvelopeFactory, RoundFactory

pytestmark = pytest.mark.django_db
Phase = Round.Phase


def _round_in(phase):
    return EnvelopeFactory(round__phase=phase).round


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (Phase.DRAFT, Phase.PROPOSALS_OPEN),
        (Phase.PROPOSALS_OPEN, Phase.REVIEW),
        (Phase.REVIEW, Phase.VOTING_OPEN),
        (Phase.VOTING_OPEN, Phase.VOTING_CLOSED),
        (Phase.COUNTED, Phase.PUBLISHED),
    ],
)
def test_an_officer_moves_a_round_one_phase_on(start, end):
    round_ = _round_in(start)
    assert round_advance(round_id=round_.pk, to_phase=end).phase == end
    round_.refresh_from_db()
    assert round_.phase == end


def test_it_refuses_to_skip_a_phase():
    round_ = _round_in(Phase.PROPOSALS_OPEN)
    with pytest.raises(ValidationError, match="can only move to “Review”, not “Voting open”"):
        round_advance(round_id=round_.pk, to_phase=Phase.VOTING_OPEN)
    round_.refresh_from_db()
    assert round_.phase == Phase.PROPOSALS_OPEN


def test_it_refuses_to_go_back():
    round_ = _round_in(Phase.VOTING_OPEN)
    with pytest.raises(ValidationError, match="cannot go back from “Voting open” to “Review”"):
        round_advance(round_id=round_.pk, to_phase=Phase.REVIEW)


def test_it_refuses_the_phase_it_is_in():
    round_ = _round_in(Phase.REVIEW)
    with pytest.raises(ValidationError, match="already in the phase “Review”"):
        round_advance(round_id=round_.pk, to_phase=Phase.REVIEW)


def test_counted_comes_from_the_count_not_by_hand():
    round_ = _round_in(Phase.VOTING_CLOSED)
    with pytest.raises(ValidationError, match="when its votes have been counted"):
        round_advance(round_id=round_.pk, to_phase=Phase.COUNTED)


def test_a_round_needs_an_envelope_to_open():
    round_ = RoundFactory(phase=Phase.DRAFT)
    with pytest.raises(ValidationError, match="at least one envelope"):
        round_advance(round_id=round_.pk, to_phase=Phase.PROPOSALS_OPEN)


def test_an_unknown_phase_is_refused():
    round_ = _round_in(Phase.REVIEW)
    with pytest.raises(ValueError):
        round_advance(round_id=round_.pk, to_phase="party")
