"""Hundreds of random small elections, counted by the engine and by pabutools live.

The elections go through the engine's own .pb writer, so this also checks that pabutools
reads what the engine writes. Project ids such as '9' and '10' make ties break on text.
pabutools funds proposals nobody voted for once every other has had its turn; the engine
never does, so it is checked against pabutools' outcome without them. The comparison step
(``equalshares-comparison``) is checked against pabutools' ``popularity_comparison``.
"""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voting.counting import Ballot, Election, Project, count, parse_pb, write_pb

pytest.importorskip(
    "pabutools.election",
    reason="pabutools 1.2.3 does not import with pulp>=3: pin pulp<3",
    exc_type=ImportError,
)
from pabutools.election import Additive_Cardinal_Sat, Cardinality_Sat, Cost_Sat
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.election.satisfaction import AdditiveSatisfaction
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    popularity_comparison,
    sequential_phragmen,
)

IDS = ["1", "2", "3", "9", "10", "11", "20", "a"]


class PointsTimesCostSat(AdditiveSatisfaction):
    """Greedy by total points, as expected.json's reference does for cumulative ballots."""

    def __init__(self, instance, profile, ballot):
        super().__init__(
            instance, profile, ballot, lambda i, p, b, proj, pre: b.get(proj, 0) * proj.cost
        )


@st.composite
def elections(draw, vote_type):
    m = draw(st.integers(1, 6))
    ids = draw(st.permutations(IDS))[:m]
    costs = draw(st.lists(st.integers(0, 25), min_size=m, max_size=m))
    budget = Fraction(draw(st.integers(1, 80)), draw(st.sampled_from([1, 1, 2])))
    n = draw(st.integers(0, 7))
    ballots = []
    for i in range(n):
        # pabutools cannot read an empty cumulative ballot, so those give at least one point.
        least = 1 if vote_type == "cumulative" else 0
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, min_size=least, max_size=m))
        points = None
        if vote_type == "cumulative":
            points = tuple(draw(st.integers(0, 3)) for _ in chosen)
        ballots.append(Ballot(tuple(chosen), points, voter_id=str(i + 1)))
    return Election(
        vote_type, budget, [Project(p, c) for p, c in zip(ids, costs, strict=False)], ballots
    )


def pabutools_outcomes(text, vote_type):
    instance, profile = parse_pabulib_from_string(text)
    profile = profile.as_multiprofile()
    mes_sat = Cost_Sat if vote_type == "approval" else Additive_Cardinal_Sat
    greedy_sat = Cost_Sat if vote_type == "approval" else PointsTimesCostSat
    outcomes = {
        "greedy": greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat),
        "mes": method_of_equal_shares(instance, profile, sat_class=mes_sat),
        "mes-add1": method_of_equal_shares(
            instance, profile, sat_class=mes_sat, voter_budget_increment=1
        ),
        "mes-add1-greedy": completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": mes_sat, "voter_budget_increment": 1}, {"sat_class": greedy_sat}],
        ),
    }
    if vote_type == "approval":
        outcomes["phragmen"] = sequential_phragmen(instance, profile)
    # Each voter backs the outcome giving them more (approvals, or points); a voter who likes
    # both equally backs both, which changes no margin. On a tie Equal Shares is kept.
    compare_sat = Cardinality_Sat if vote_type == "approval" else Additive_Cardinal_Sat
    preferred = popularity_comparison(
        instance,
        profile,
        compare_sat,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": mes_sat}, {"sat_class": greedy_sat}],
    )
    mes_outcome = outcomes["mes"]
    outcomes["equalshares-comparison"] = mes_outcome if mes_outcome in preferred else preferred[0]
    return {rule: sorted(p.name for p in alloc) for rule, alloc in outcomes.items()}


def check(election):
    text = write_pb(election)
    ours = parse_pb(text)
    voted = {
        pid
        for b in ours.ballots
        for pid, x in zip(b.projects, b.points or ([1] * len(b.projects)), strict=True)
        if x
    }
    for rule, expected in pabutools_outcomes(text, election.vote_type).items():
        outcome = count(ours, rule)
        assert sorted(outcome.selected) == [p for p in expected if p in voted], (rule, text)


SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(elections("approval"))
def test_approval_outcomes_match_pabutools(election):
    check(election)


@SETTINGS
@given(elections("cumulative"))
def test_cumulative_outcomes_match_pabutools(election):
    check(election)
