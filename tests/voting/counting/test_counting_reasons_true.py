"""Every reason a count gives is true of its own outcome: a proposal said not to fit in
the money left does not fit in it, one said to lack its supporters' money would have fitted
or not as the sentence says, and only funded proposals get a "Funded" reason. On random
small elections, under every rule."""

import random

import pytest

from voting.counting import RULES, Ballot, Election, Eligibility, Project, count

FUNDED = {"greedy_funded", "mes_funded", "topup_funded", "phragmen_funded", "free_funded"}
FUNDED |= {"comparison_greedy_funded"}


def random_election(rng: random.Random) -> Election:
    ids = [str(i) for i in range(1, rng.randint(2, 7))]
    # Now and then a proposal that costs nothing, which Equal Shares treats apart.
    costs = {pid: 0 if rng.random() < 0.05 else rng.randint(1, 60) for pid in ids}
    ballots = [
        Ballot(tuple(rng.sample(ids, rng.randint(0, len(ids))))) for _ in range(rng.randint(1, 12))
    ]
    projects = [Project(pid, cost) for pid, cost in costs.items()]
    return Election(
        vote_type="approval", budget=rng.randint(20, 120), projects=projects, ballots=ballots
    )


def check_reasons(outcome) -> None:
    money_left = outcome.budget - outcome.total_cost
    for r in outcome.results:
        values = r.reason_values
        assert (r.reason in FUNDED) == r.funded, (r.reason, r)
        if r.reason == "share_spent_no_room":
            assert values["left"] == money_left
            assert r.cost > money_left
        elif r.reason == "share_spent":
            assert r.cost <= money_left
            # A top-up would have funded it: it fits and people voted for it.
            assert not outcome.rule.endswith("greedy"), outcome.rule
        elif r.reason in ("no_money_left", "stopped_here", "phragmen_did_not_fit"):
            # The money left when its turn came, which is never less than at the end.
            assert r.cost > values["left"] >= money_left
        elif r.reason == "over_budget":
            assert r.cost > outcome.budget
        elif r.reason == "no_votes":
            assert r.votes == 0


@pytest.mark.parametrize("rule", RULES)
def test_every_reason_is_true_of_the_outcome(rule):
    rng = random.Random(f"reasons-{rule}")
    for _ in range(150):
        election = random_election(rng)
        threshold = Eligibility(min_votes=1) if rule == "greedy-threshold" else None
        check_reasons(count(election, rule, eligibility=threshold))


def test_a_threshold_reason_is_true_too():
    rng = random.Random("reasons-threshold")
    for _ in range(100):
        election = random_election(rng)
        outcome = count(election, "equalshares/add1-greedy", eligibility=Eligibility(min_votes=2))
        check_reasons(outcome)
        for r in outcome.results:
            if r.reason == "below_threshold":
                assert r.votes < 2
