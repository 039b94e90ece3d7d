import pytest

from voting.rules import (
    APPROVAL,
    CUMULATIVE,
    K_APPROVAL,
    KNAPSACK,
    BallotRefused,
    BallotRule,
    OnBallot,
    check_ballot,
)

BALLOT = {
    1: OnBallot(1, "Benches in the park", 5_000_00),
    2: OnBallot(2, "Youth club trips", 8_000_00),
    3: OnBallot(3, "Street trees", 12_000_00),
}


def _rule(kind, **kwargs):
    return BallotRule(kind=kind, budget_pence=15_000_00, **kwargs)


def test_approval_takes_any_number():
    check_ballot(_rule(APPROVAL), {1: 1, 2: 1, 3: 1}, BALLOT)


def test_an_empty_ballot_is_refused():
    with pytest.raises(BallotRefused, match="Choose at least one idea"):
        check_ballot(_rule(APPROVAL), {}, BALLOT)


def test_a_proposal_not_on_the_ballot_is_refused():
    with pytest.raises(BallotRefused, match="not on this ballot any more"):
        check_ballot(_rule(APPROVAL), {1: 1, 99: 1}, BALLOT)


def test_points_on_an_approval_ballot_are_refused():
    with pytest.raises(BallotRefused, match="either chosen or not"):
        check_ballot(_rule(APPROVAL), {1: 2}, BALLOT)


def test_k_approval_allows_up_to_k():
    check_ballot(_rule(K_APPROVAL, max_choices=2), {1: 1, 2: 1}, BALLOT)


def test_k_approval_says_how_many_to_untick():
    with pytest.raises(BallotRefused, match="You chose 3 ideas but can choose up to 2. Untick 1."):
        check_ballot(_rule(K_APPROVAL, max_choices=2), {1: 1, 2: 1, 3: 1}, BALLOT)


def test_knapsack_allows_choices_that_fit_exactly():
    check_ballot(_rule(KNAPSACK), {1: 1, 2: 1}, BALLOT | {2: OnBallot(2, "x", 10_000_00)})


def test_knapsack_says_how_much_is_over():
    with pytest.raises(
        BallotRefused,
        match="Your choices cost £25,000, which is £10,000 more than the £15,000 available. "
        "Untick ideas costing at least £10,000.",
    ):
        check_ballot(_rule(KNAPSACK), {1: 1, 2: 1, 3: 1}, BALLOT)


def test_cumulative_spreads_points():
    rule = _rule(CUMULATIVE, points_total=10, points_per_proposal_max=5)
    check_ballot(rule, {1: 5, 2: 3, 3: 2}, BALLOT)


def test_cumulative_refuses_too_many_points_in_all():
    rule = _rule(CUMULATIVE, points_total=10, points_per_proposal_max=5)
    with pytest.raises(BallotRefused, match="You gave 11 points but have 10. Take away 1."):
        check_ballot(rule, {1: 5, 2: 5, 3: 1}, BALLOT)


def test_cumulative_refuses_too_many_on_one():
    rule = _rule(CUMULATIVE, points_total=10, points_per_proposal_max=5)
    with pytest.raises(
        BallotRefused,
        match="You gave “Street trees” 6 points; the most one idea can have is 5.",
    ):
        check_ballot(rule, {3: 6}, BALLOT)


def test_cumulative_refuses_zero_or_negative_points():
    rule = _rule(CUMULATIVE, points_total=10, points_per_proposal_max=5)
    with pytest.raises(BallotRefused, match="at least 1 point"):
        check_ballot(rule, {1: 0}, BALLOT)
    with pytest.raises(BallotRefused, match="at least 1 point"):
        check_ballot(rule, {1: -3, 2: 5}, BALLOT)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (_rule(APPROVAL), "Choose as many ideas as you like."),
        (_rule(K_APPROVAL, max_choices=3), "Choose up to 3 ideas."),
        (_rule(K_APPROVAL, max_choices=1), "Choose up to 1 idea."),
        (_rule(KNAPSACK), "as long as their costs add up to £15,000 or less."),
        (_rule(CUMULATIVE, points_total=10, points_per_proposal_max=4), "Spread up to 10 points"),
    ],
)
def test_each_rule_explains_itself(rule, text):
    assert text in rule.explain()
