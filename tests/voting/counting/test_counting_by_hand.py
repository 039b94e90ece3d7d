"""Every rule on small elections whose outcome is worked out by hand here."""

from fractions import Fraction

import pytest

from voting.counting import RULES, Ballot, Election, Eligibility, Project, UnsupportedRule, count


def approval(budget, costs, votes, **meta):
    """costs: {id: cost}; votes: list of lists of project ids."""
    return Election(
        vote_type="approval",
        budget=budget,
        projects=[Project(pid, cost) for pid, cost in costs.items()],
        ballots=[Ballot(tuple(v)) for v in votes],
        meta=meta,
    )


# Four voters share 8: 2 each. a (4) is liked by v1 and v2, b (3) by v3, c (3) by v4.
FOUR = approval(8, {"a": 4, "b": 3, "c": 3}, [["a"], ["a"], ["b"], ["c"]])


def test_greedy_takes_most_votes_first_and_skips_what_no_longer_fits():
    # a (3 votes, 6) first; b and c tie on 2 votes and b wins on id but 6 + 5 > 10;
    # c fits exactly. d has no votes and nothing is left for it.
    election = approval(
        10,
        {"a": 6, "b": 5, "c": 4, "d": 3},
        [["a", "b"], ["a", "c"], ["a", "b", "c"]],
    )
    outcome = count(election, "greedy")
    assert outcome.selected == ("a", "c")
    assert outcome.total_cost == 10
    b = outcome.result("b")
    assert b.funded is False
    assert b.reason == "no_money_left"
    assert b.reason_text == (
        "Not funded: not enough money left. It costs 5, and 4 was left after the ideas "
        "ahead of it in order of votes."
    )
    assert outcome.result("d").votes == 0
    assert outcome.result("a").funded_order == 1
    assert outcome.result("c").funded_order == 2


@pytest.mark.parametrize("rule", RULES)
def test_no_rule_funds_a_proposal_without_votes_even_with_money_left(rule):
    election = approval(10, {"a": 5, "z": 3}, [["a"]])
    outcome = count(election, rule, eligibility=Eligibility(min_votes=1))
    assert outcome.selected == ("a",)
    assert outcome.result("z").reason == "no_votes"
    assert outcome.result("z").reason_text == "Not funded: nobody voted for it."


def test_greedy_breaks_ties_by_id_compared_as_text():
    # '10' < '9' as text, so '10' wins the tie and '9' no longer fits.
    election = approval(5, {"9": 5, "10": 5}, [["9"], ["10"]])
    assert count(election, "greedy").selected == ("10",)
    assert count(election, "greedy", tie_break="id-desc").selected == ("9",)
    assert count(election, "greedy", tie_break=["9", "10"]).selected == ("9",)


def test_greedy_says_when_a_proposal_costs_more_than_the_budget():
    outcome = count(approval(10, {"a": 11}, [["a"]]), "greedy")
    assert outcome.result("a").reason == "over_budget"


def test_greedy_on_cumulative_ballots_ranks_by_points():
    # a gets 1 + 1 = 2 points from two voters, b gets 3 from one: b first.
    election = Election(
        vote_type="cumulative",
        budget=5,
        projects=[Project("a", 3), Project("b", 3)],
        ballots=[Ballot(("a",), (1,)), Ballot(("a", "b"), (1, 3))],
    )
    outcome = count(election, "greedy")
    assert outcome.selected == ("b",)
    assert outcome.result("a").score == 2
    assert outcome.result("a").votes == 2


def test_greedy_on_ranked_ballots_uses_positional_points():
    # With rankings of at most 2: first choice 2 points, second 1. a: 2 + 1 = 3,
    # b: 1 + 2 = 3, c: 2. a wins the tie with b on id, b no longer fits, c does.
    election = Election(
        vote_type="ordinal",
        budget=5,
        projects=[Project("a", 3), Project("b", 3), Project("c", 2)],
        ballots=[Ballot(("a", "b")), Ballot(("b",)), Ballot(("c", "a"))],
        meta={"max_length": "2"},
    )
    outcome = count(election, "greedy")
    assert outcome.selected == ("a", "c")
    assert [outcome.result(p).score for p in "abc"] == [3, 3, 2]


def test_mes_buys_what_supporters_can_pay_from_equal_shares():
    # 2 each. a: v1 and v2 pay 2 each. b and c: one supporter with 2, less than 3.
    outcome = count(FOUR, "mes")
    assert outcome.selected == ("a",)
    assert outcome.details["budget_per_voter"] == 2
    b = outcome.result("b")
    # 8 - 4 = 4 is left, and b costs 3: it would fit, but plain Equal Shares does not
    # spend what is left over by votes.
    assert b.reason == "share_spent"
    assert b.reason_text == (
        "Not funded: the people who voted for it did not have enough of their equal shares "
        "left to pay for it. This round's rule does not spend money left over on ideas "
        "by votes."
    )


def test_mes_prefers_the_lowest_price_per_unit_of_cost():
    # 4 voters, 3 each. a (6) liked by v1-v3: 2 each, 1/3 per unit. c (3) liked by v1
    # and v2: 1.5 each, 1/2 per unit. a first; then v1 and v2 have 1 each, too little
    # for c. b (6) is liked by v4 alone, who has 3.
    election = approval(12, {"a": 6, "b": 6, "c": 3}, [["a", "c"], ["a", "c"], ["a"], ["b"]])
    assert count(election, "mes").selected == ("a",)
    # One more unit each (4): a costs them 2 each, then v1 and v2 pay 1.5 each for c.
    # 9 spent and b (6) cannot fit any more: exhaustive, so mes-add1 stops there.
    outcome = count(election, "mes-add1")
    assert outcome.selected == ("a", "c")
    assert outcome.details["budget_per_voter"] == 4
    assert outcome.details["increments"] == 1


def test_mes_add1_keeps_the_last_outcome_that_fitted():
    # With 2 each only a is bought (4, not exhaustive: b would fit). With 3 each a, b
    # and c are all bought: 10 > 8, so mes-add1 keeps {a}.
    outcome = count(FOUR, "mes-add1")
    assert outcome.selected == ("a",)
    assert outcome.details["increments"] == 0


def test_mes_add1_greedy_tops_up_with_the_money_left():
    # mes-add1 gives {a} and leaves 4; b and c tie on one vote, b wins on id and fits
    # (3), c no longer does.
    outcome = count(FOUR, "mes-add1-greedy")
    assert outcome.selected == ("a", "b")
    assert outcome.total_cost == 7
    assert outcome.result("a").reason == "mes_funded"
    assert outcome.result("b").reason == "topup_funded"
    # c costs more than the 1 the top-up leaves: said against that, not its turn.
    c = outcome.result("c")
    assert c.reason == "share_spent_no_room"
    assert c.reason_values == {"cost": 3, "left": 1}
    assert "the money left after the funded ideas (1) is less than its cost (3)" in (c.reason_text)


def test_mes_with_points_charges_per_point():
    # 5 each. v1 gives a 3 points and b 1, v2 gives b 2. a: v1 pays 4 (4/3 per point).
    # b at 2 per point would need 2 from v1 (who has 1 left) and 4 from v2, so v1 pays
    # their 1 and v2 pays 5: 5/2 per point, and both are bought.
    election = Election(
        vote_type="cumulative",
        budget=10,
        projects=[Project("a", 4), Project("b", 6)],
        ballots=[Ballot(("a", "b"), (3, 1)), Ballot(("b",), (2,))],
    )
    outcome = count(election, "mes")
    assert outcome.selected == ("a", "b")
    assert outcome.result("a").funded_order == 1
    assert outcome.result("b").funded_order == 2


def test_mes_breaks_ties_by_id_compared_as_text():
    # '10' and '9' are alike and the voters can afford only one.
    election = approval(6, {"9": 5, "10": 5}, [["9", "10"], ["9", "10"]])
    assert count(election, "mes").selected == ("10",)
    assert count(election, "mes", tie_break="id-desc").selected == ("9",)


def test_mes_does_not_fund_a_proposal_without_votes():
    outcome = count(approval(10, {"a": 2, "z": 2}, [["a"]]), "mes")
    assert outcome.selected == ("a",)
    assert outcome.result("z").reason == "no_votes"
    assert outcome.result("z").reason_text == "Not funded: nobody voted for it."


def test_phragmen_stops_at_the_first_proposal_that_does_not_fit():
    # Loads: a (4) 4/2 = 2, b and c (3 each) 3/1 = 3. a; then b (tie with c, b wins
    # on id, 7 <= 8); then c would take the total to 10 > 8: stop.
    outcome = count(FOUR, "phragmen")
    assert outcome.selected == ("a", "b")
    assert outcome.result("c").reason == "phragmen_did_not_fit"


def test_phragmen_reports_the_proposal_it_stopped_at():
    # Loads: a 6/2 = 3, b 4/1 = 4, c 3/1 = 3: a wins the tie with c on id. Then c's
    # voter carries load 3, so c needs (3 + 3)/1 = 6 and b (4) comes first: 6 + 4 > 9,
    # stop, so c (which would have fitted) is not funded either.
    election = approval(9, {"a": 6, "b": 4, "c": 3}, [["a"], ["a", "c"], ["b"]])
    outcome = count(election, "phragmen")
    assert outcome.selected == ("a",)
    assert outcome.result("b").reason == "phragmen_did_not_fit"
    assert outcome.result("c").reason == "phragmen_stopped"
    assert "(b)" in outcome.result("c").reason_text


def test_decimal_costs_are_counted_exactly():
    election = approval(Fraction("0.3"), {"a": Fraction("0.1"), "b": Fraction("0.2")}, [["a", "b"]])
    for rule in ("greedy", "mes", "mes-add1", "mes-add1-greedy", "phragmen"):
        outcome = count(election, rule)
        assert outcome.selected == ("a", "b"), rule
        assert outcome.total_cost == Fraction(3, 10)


def test_an_election_without_ballots_funds_nothing_by_equal_shares():
    election = approval(10, {"a": 2}, [])
    assert count(election, "mes").selected == ()
    assert count(election, "mes-add1").selected == ()


@pytest.mark.parametrize("rule", ["mes", "mes-add1", "mes-add1-greedy", "phragmen"])
def test_rules_for_approval_or_points_refuse_ranked_ballots(rule):
    election = Election("ordinal", 5, [Project("a", 1)], [Ballot(("a",))])
    with pytest.raises(UnsupportedRule, match="ordinal"):
        count(election, rule)


def test_phragmen_refuses_cumulative_ballots():
    election = Election("cumulative", 5, [Project("a", 1)], [Ballot(("a",), (1,))])
    with pytest.raises(UnsupportedRule, match="only defined for approval"):
        count(election, "phragmen")


def test_an_unknown_rule_is_refused():
    with pytest.raises(UnsupportedRule, match="unknown rule 'borda'"):
        count(FOUR, "borda")


def test_every_proposal_gets_a_row_with_its_votes():
    outcome = count(FOUR, "mes-add1-greedy")
    assert [r.project_id for r in outcome.results] == ["a", "b", "c"]
    assert [r.votes for r in outcome.results] == [2, 1, 1]
    assert all(r.reason_text for r in outcome.results)
