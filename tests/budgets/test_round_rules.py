import pytest
from django.core.exceptions import ValidationError

from budgets.models import Round
from tests.budgets.factories import RoundFactory

pytestmark = pytest.mark.django_db
Phase = Round.Phase


def test_rules_can_change_before_voting_opens():
    round_ = RoundFactory(phase=Phase.REVIEW, counting_rule=Round.CountingRule.GREEDY)
    round_.counting_rule = Round.CountingRule.EQUAL_SHARES_ADD1_GREEDY
    round_.full_clean()


@pytest.mark.parametrize("phase", [Phase.VOTING_OPEN, Phase.VOTING_CLOSED, Phase.PUBLISHED])
def test_rules_cannot_change_once_voting_has_opened(phase):
    round_ = RoundFactory(phase=phase, ballot_rule=Round.BallotRule.KNAPSACK)
    round_.ballot_rule = Round.BallotRule.APPROVAL
    with pytest.raises(ValidationError, match="cannot change once voting has opened"):
        round_.full_clean()


def test_phase_dates_must_be_in_order():
    round_ = RoundFactory.build(fund=RoundFactory().fund)
    round_.voting_closes_at = round_.voting_opens_at
    with pytest.raises(ValidationError, match="budgets_round_phase_dates_in_order"):
        round_.full_clean()


def test_k_approval_needs_k():
    round_ = RoundFactory.build(fund=RoundFactory().fund, ballot_rule=Round.BallotRule.K_APPROVAL)
    with pytest.raises(ValidationError, match="budgets_round_k_approval_needs_k"):
        round_.full_clean()


def test_the_timeline_marks_done_current_and_upcoming():
    round_ = RoundFactory(phase=Phase.REVIEW)
    states = {step["phase"]: step["state"] for step in round_.phase_timeline()}
    assert states[Phase.PROPOSALS_OPEN] == "done"
    assert states[Phase.REVIEW] == "current"
    assert states[Phase.VOTING_OPEN] == "upcoming"
    assert Phase.DRAFT not in states
