"""The replay certificate with straight-line bounds between two budgets
(``equalshares/lines.py``): a range it proves buys the same set at every step, checked
by a count at every step; and on a real election it proves near-ties the plain
comparison cannot.
"""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voting.counting import Ballot, Election, Project, read_pb
from voting.counting._numbers import Q
from voting.counting.equalshares import MesData, mes_run
from voting.counting.equalshares import lines as lines_module
from voting.counting.equalshares.run import mes_follow
from voting.counting.prepare import prepare


def proven_ranges_hold(data: MesData, origin, unit, lengths) -> list[int]:
    """Every range ``mes_follow`` proves from ``origin`` buys one set at every step.

    Returns the lengths proven."""
    funded, purchases, _details = mes_run(data, origin, history=True)
    proven = []
    for length in lengths:
        certified, bought, _prices = mes_follow(data, origin + length * unit, funded, purchases)
        if not certified:
            continue
        proven.append(length)
        for step in range(length + 1):
            again, _purchases, _details = mes_run(data, origin + step * unit)
            assert set(again) == set(bought), (length, step)
    return proven


@st.composite
def elections(draw):
    vote_type = draw(st.sampled_from(["approval", "approval", "cumulative"]))
    m = draw(st.integers(2, 7))
    ids = [str(i + 1) for i in range(m)]
    costs = draw(st.lists(st.integers(60, 120), min_size=m, max_size=m))
    budget = draw(st.integers(100, 600))
    ballots = []
    for i in range(draw(st.integers(4, 30))):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=m))
        points = None
        if vote_type == "cumulative":
            points = tuple(draw(st.integers(1, 3)) for _ in chosen)
        ballots.append(Ballot(tuple(chosen), points, voter_id=str(i + 1)))
    projects = [Project(p, c) for p, c in zip(ids, costs, strict=True)]
    return Election(vote_type, Fraction(budget), projects, ballots)


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(elections(), st.integers(0, 40))
def test_a_range_the_certificate_proves_buys_one_set_at_every_step(election, offset):
    prep = prepare(election, "id")
    data = MesData(prep, [votes > 0 for votes in prep.votes])
    unit = prep.money_scale
    origin = Q(prep.budget, prep.num_ballots) + offset * unit
    proven_ranges_hold(data, origin, unit, (1, 2, 3, 5, 8))


def test_it_proves_near_ties_on_toulouse_that_hold_at_every_step(pabulib, monkeypatch):
    # Toulouse 2022 has many near-ties between projects sharing a voter.
    prep = prepare(read_pb(pabulib / "France_Toulouse_2022.pb"), "id")
    data = MesData(prep, [votes > 0 for votes in prep.votes])
    unit = prep.money_scale
    proved = []
    dearer = lines_module.Lines.dearer

    def counting_dearer(self, q, before, rho1):
        found = dearer(self, q, before, rho1)
        proved.append(found)
        return found

    monkeypatch.setattr(lines_module.Lines, "dearer", counting_dearer)
    origin = (prep.budget // unit) // prep.num_ballots * unit
    near_ties_proven = 0
    for start in range(0, 400, 40):
        low = origin + start * unit
        funded, purchases, _details = mes_run(data, low, history=True)
        for length in (1, 2, 4):
            proved.clear()
            certified, bought, _prices = mes_follow(data, low + length * unit, funded, purchases)
            if not (certified and any(proved)):
                continue
            near_ties_proven += 1
            for step in range(length + 1):
                again, _purchases, _details = mes_run(data, low + step * unit)
                assert set(again) == set(bought), (start, length, step)
    assert near_ties_proven > 0
