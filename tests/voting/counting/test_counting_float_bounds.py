"""The Method of Equal Shares prices rivals in floats, with proven bounds, and decides in
exact arithmetic. These tests check the bounds: every price a run buys at lies inside the
interval the floats claimed for it, and a run that may not use floats at all (every price
worked out exactly) buys the same projects at the same exact prices.
"""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voting.counting import Ballot, Election, Project, read_pb
from voting.counting.equalshares import MesData, mes_follow, mes_run
from voting.counting.equalshares.run import _Run
from voting.counting.prepare import prepare

# Approval and cumulative elections from ../shared/pabulib, each counted in under a second.
REAL = [
    "Poland_Warszawa_2024_Mokotow.pb",
    "Poland_Warszawa_2026.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Katowice_2020.pb",
    "Poland_Czestochowa_2024.pb",
    "France_Toulouse_2024.pb",
]


def exact_only(prep):
    data = MesData(prep)
    data.floats_exact = False
    return data


def check_price_bounds(prep, per_voter):
    """Before every purchase, each clean project's lower bound and the winner's upper
    bound hold its exact price (worked out afresh, from every supporter)."""
    run = _Run(MesData(prep), per_voter)
    while (best := run.top()) is not None:
        p, rho = best
        for q in run.remaining - run.dirty:
            exact = run._exact_price(q, None)
            if exact is not None:
                assert run.entry[q][0] <= exact[0], prep.ids[q]
        exact = run._exact_price(p, None)[0]
        assert run.entry[p][0] <= exact <= run.upper_bound(p), prep.ids[p]
        assert rho is None or rho == exact
        run.buy(p, rho)


def check_run(prep, per_voter):
    check_price_bounds(prep, per_voter)
    funded, purchases = mes_run(MesData(prep), per_voter)
    for bought in purchases:
        exact = bought.rho()
        assert bought.lo <= exact <= bought.hi, (prep.ids[bought.project], bought.lo, bought.hi)
    again, exact_purchases = mes_run(exact_only(prep), per_voter)
    assert again == funded
    assert [b.rho() for b in exact_purchases] == [b.rho() for b in purchases]
    return funded, purchases


@pytest.mark.parametrize("name", REAL)
def test_float_bounds_hold_on_real_elections(pabulib, name):
    path = pabulib / name
    if not path.exists():
        pytest.skip(f"{name} is not in {pabulib}")
    prep = prepare(read_pb(path))
    per_voter = Fraction(prep.budget, prep.num_ballots)
    funded, purchases = check_run(prep, per_voter)
    assert funded
    # A run with more money replays the same purchases: its certificate compares prices
    # across runs, so check it agrees with the exact-only engine too.
    richer = per_voter + 50 * prep.money_scale
    with_floats = mes_follow(MesData(prep), richer, funded, purchases)
    exact_purchases = mes_run(exact_only(prep), per_voter)[1]
    without = mes_follow(exact_only(prep), richer, funded, exact_purchases)
    assert with_floats[:2] == without[:2]


@st.composite
def elections(draw):
    vote_type = draw(st.sampled_from(["approval", "cumulative"]))
    m = draw(st.integers(2, 10))
    ids = [str(i) for i in range(1, m + 1)]
    costs = draw(st.lists(st.integers(1, 5000), min_size=m, max_size=m))
    budget = draw(st.integers(1000, 20000))
    n = draw(st.integers(20, 150))
    # Few distinct ballots and round costs make exact ties and near-ties common.
    shapes = draw(
        st.lists(
            st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=m),
            min_size=1,
            max_size=12,
        )
    )
    ballots = []
    for i in range(n):
        chosen = tuple(draw(st.sampled_from(shapes)))
        points = None
        if vote_type == "cumulative":
            points = tuple(draw(st.integers(1, 4)) for _ in chosen)
        ballots.append(Ballot(chosen, points, voter_id=str(i + 1)))
    return Election(
        vote_type, budget, [Project(p, c) for p, c in zip(ids, costs, strict=True)], ballots
    )


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(elections(), st.integers(0, 400))
def test_float_bounds_hold_on_random_elections(election, extra):
    prep = prepare(election)
    check_run(prep, Fraction(prep.budget, prep.num_ballots) + extra)
