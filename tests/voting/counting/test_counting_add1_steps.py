"""Add1 skips the budgets it can prove change nothing; here it is checked against Add1
written straight from its definition, one count of Equal Shares for every step.

The random elections have many steps (costs and budgets large next to the number of
voters), and groups of voters who share no proposal, whose purchases may come in either
order without changing what is funded: the case the engine's certificate allows for.
"""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voting.counting import Ballot, Election, Project, read_pb
from voting.counting._numbers import Q
from voting.counting.equalshares import MesData, add1, mes_run
from voting.counting.prepare import prepare

IDS = ["1", "2", "3", "9", "10", "11", "20", "a"]


def add1_step_by_step(data: MesData, kind: str) -> list[int]:
    """Add1 by its definition: a count at every step, up to the first that overspends
    (pabutools' variant also stops at the first exhaustive outcome)."""
    prep = data.prep
    n, unit, budget, costs = prep.num_ballots, prep.money_scale, prep.budget, prep.costs
    if n == 0:
        return []
    start = Q(budget, n)
    origin = start if kind == "add1-pabutools" else Q((budget // unit) // n * unit)
    # From a share of every candidate's cost added together, every count buys them all.
    last_step = -(-(sum(costs[p] for p in data.candidates) - origin) // unit)
    kept = list(data.free)
    for k in range(max(1, last_step) + 1):
        funded, _purchases = mes_run(data, start if k == 0 else origin + k * unit)
        outcome = list(data.free) + funded
        spent = sum(costs[p] for p in outcome)
        if spent > budget:
            return kept
        kept = outcome
        if kind == "add1-pabutools" and all(
            spent + costs[p] > budget for p in data.candidates if p not in outcome
        ):
            return kept
    return kept


@st.composite
def elections(draw):
    vote_type = draw(st.sampled_from(["approval", "approval", "cumulative"]))
    m = draw(st.integers(2, 8))
    ids = draw(st.permutations(IDS))[:m]
    costs = draw(st.lists(st.integers(1, 60), min_size=m, max_size=m))
    budget = Fraction(draw(st.integers(1, 150)), draw(st.sampled_from([1, 1, 2])))
    # Two camps that share no proposal, and voters of either camp or across both.
    split = draw(st.integers(1, m))
    camps = [ids[:split], ids[split:] or ids[:split], ids]
    ballots = []
    for i in range(draw(st.integers(1, 9))):
        camp = draw(st.sampled_from(camps))
        chosen = draw(st.lists(st.sampled_from(camp), unique=True, max_size=len(camp)))
        points = None
        if vote_type == "cumulative":
            points = tuple(draw(st.integers(1, 3)) for _ in chosen)
        ballots.append(Ballot(tuple(chosen), points, voter_id=str(i + 1)))
    projects = [Project(p, c) for p, c in zip(ids, costs, strict=True)]
    return Election(vote_type, budget, projects, ballots)


def same_as_step_by_step(election):
    prep = prepare(election, "id")
    data = MesData(prep, [votes > 0 for votes in prep.votes])
    for kind in ("add1", "add1-pabutools"):
        funded, info = add1(data, kind)
        assert funded == add1_step_by_step(data, kind), kind
        # The order given is that of the count at the budget kept.
        if info.get("per_voter") is not None:
            again, _purchases = mes_run(data, info["per_voter"])
            assert funded == list(data.free) + again


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(elections())
def test_add1_gives_the_outcome_of_counting_every_step(election):
    same_as_step_by_step(election)


def test_add1_on_a_real_election_matches_every_step(pabulib):
    # Wieliczka 2023 Green Budget: one of the cities that counted with Add1.
    election = read_pb(pabulib / "Poland_Wieliczka_2023_Green_Budget.pb")
    same_as_step_by_step(election)
