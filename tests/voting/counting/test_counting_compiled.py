"""The compiled run of Equal Shares (``equalshares.compiled``) must buy exactly what the
exact engine buys, in the same order, whenever it answers; when floats cannot prove a
decision it must say so (None), and Add1 then counts that step exactly.
"""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voting.counting import Ballot, Election, Project, read_pb
from voting.counting._numbers import Q
from voting.counting.equalshares import MesData, add1, completion, mes_follow, mes_run
from voting.counting.equalshares.compiled import CompiledData
from voting.counting.equalshares.interval import IntervalData
from voting.counting.prepare import prepare

IDS = ["1", "2", "3", "9", "10", "11", "20", "a"]


@st.composite
def approval_elections(draw):
    """Small approval elections full of ties: few distinct costs, repeated ballots."""
    m = draw(st.integers(2, 8))
    ids = draw(st.permutations(IDS))[:m]
    costs = draw(st.lists(st.sampled_from([1, 2, 3, 4, 6, 12, 30]), min_size=m, max_size=m))
    budget = Fraction(draw(st.integers(1, 90)), draw(st.sampled_from([1, 1, 3])))
    kinds = draw(
        st.lists(st.lists(st.sampled_from(ids), unique=True, max_size=m), min_size=1, max_size=5)
    )
    ballots = []
    for i in range(draw(st.integers(1, 14))):
        chosen = draw(st.sampled_from(kinds))
        ballots.append(Ballot(tuple(chosen), None, voter_id=str(i + 1)))
    projects = [Project(p, c) for p, c in zip(ids, costs, strict=True)]
    return Election("approval", budget, projects, ballots)


def proven_runs(data: MesData, budgets) -> int:
    """Check the compiled run against the exact one at each budget per voter; returns how
    many of them it proved."""
    compiled = CompiledData(data)
    proven = 0
    for per_voter in budgets:
        fast = compiled.follow(per_voter, ([], []))  # a plain run: nothing to replay
        if fast is not None:
            assert fast.funded == mes_run(data, per_voter)[0], per_voter
            proven += 1
    return proven


@settings(max_examples=200, deadline=None, database=None)
@given(approval_elections(), st.lists(st.fractions(Fraction(1, 4), 40), max_size=6))
def test_the_compiled_run_buys_what_the_exact_run_buys(election, extra):
    prep = prepare(election, "id")
    data = MesData(prep)
    if not data.compilable:
        return
    n, unit = prep.num_ballots, prep.money_scale
    start = Q(prep.budget, n)
    origin = Q((prep.budget // unit) // n * unit)
    proven_runs(data, [start] + [origin + k * unit for k in range(1, 8)] + extra)


def add1_both_ways(data, kind):
    """Add1 going step by step with the compiled run from its first count, and Add1 never
    using it (the replay certificate throughout)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(completion, "EXACT_RUNS", 1)
        fast = add1(data, kind)
        patch.setattr(completion, "EXACT_RUNS", 10**9)
        patch.setattr(completion, "numba_loaded", lambda: False)
        slow = add1(data, kind)
    return fast, slow


@settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(approval_elections())
def test_add1_with_the_compiled_run_matches_the_exact_certificate(election):
    data = MesData(prepare(election, "id"))
    for kind in ("add1", "add1-pabutools"):
        fast, slow = add1_both_ways(data, kind)
        assert (fast[0], fast[1]["per_voter"]) == (slow[0], slow[1]["per_voter"]), kind


def test_add1_replaying_with_the_compiled_run_matches_on_a_real_election(pabulib):
    # Wieliczka 2023: 164 steps of Add1, replayed with the compiled run from the first.
    data = MesData(prepare(read_pb(pabulib / "Poland_Wieliczka_2023_Green_Budget.pb"), "id"))
    fast, slow = add1_both_ways(data, "add1")
    assert (fast[0], fast[1]["per_voter"]) == (slow[0], slow[1]["per_voter"])
    assert fast[1]["increments"] > 50


def test_once_numba_has_started_add1_replays_with_the_compiled_run_from_the_first_step(
    pabulib, monkeypatch
):
    from voting.counting.equalshares import compiled

    compiled.warm_up()
    assert completion.numba_loaded()
    exact, built = [], []  # exact replays; how many there had been when it was built

    def exact_replay(*args):
        exact.append(1)
        return mes_follow(*args)

    def build(data):
        built.append(len(exact))
        return CompiledData(data)

    monkeypatch.setattr(completion, "mes_follow", exact_replay)
    monkeypatch.setattr(compiled, "CompiledData", build)
    data = MesData(prepare(read_pb(pabulib / "Poland_Wieliczka_2023_Green_Budget.pb"), "id"))
    funded, info = add1(data, "add1")
    assert built == [0]
    assert info["runs"] > completion.EXACT_RUNS
    slow_funded, slow = add1_both_ways(data, "add1")[1]
    assert (funded, info["per_voter"]) == (slow_funded, slow["per_voter"])


def test_a_new_process_has_not_started_numba():
    import subprocess
    import sys

    code = (
        "from voting.counting.equalshares import completion, compiled; "
        "print(completion.numba_loaded()); compiled.warm_up(); print(completion.numba_loaded())"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", "True"]


def test_without_numba_add1_counts_exactly_and_buys_the_same(pabulib):
    """The downloadable counting program needs only NumPy: a Python without Numba counts a
    long Add1 search (Wieliczka 2023, 164 steps) with exact replays, to the same outcome."""
    import subprocess
    import sys

    path = pabulib / "Poland_Wieliczka_2023_Green_Budget.pb"
    code = (
        "import sys; sys.modules['numba'] = None\n"  # any import of numba now fails
        "from voting.counting import read_pb\n"
        "from voting.counting.equalshares import MesData, add1, completion\n"
        "from voting.counting.prepare import prepare\n"
        f"data = MesData(prepare(read_pb({str(path)!r}), 'id'))\n"
        "funded, info = add1(data, 'add1')\n"
        "print(completion.numba_installed(), 'numba' in sys.modules and sys.modules['numba'])\n"
        "print(info['runs'], info['per_voter'], *funded)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    installed, counted = shown.stdout.splitlines()
    assert installed == "False None"
    runs, per_voter, *funded = counted.split()
    expected, info = add1(MesData(prepare(read_pb(path), "id")), "add1")
    assert int(runs) > completion.EXACT_RUNS
    assert (per_voter, [int(p) for p in funded]) == (str(info["per_voter"]), expected)


def grid(prep):
    n, unit = prep.num_ballots, prep.money_scale
    origin = Q((prep.budget // unit) // n * unit)
    return lambda k: origin + k * unit


def compiled_for(election):
    """An election's data, Add1's grid and the compiled run's data; None where the compiled
    run does not count it."""
    data = MesData(prepare(election, "id"))
    if not data.compilable or data.prep.num_ballots == 0:
        return None
    return data, grid(data.prep), CompiledData(data)


def real(pabulib, name):
    """A shared election's data, Add1's grid and the compiled run's data."""
    data = MesData(prepare(read_pb(pabulib / name), "id"))
    return data, grid(data.prep), CompiledData(data)


@settings(max_examples=150, deadline=None, database=None)
@given(approval_elections(), st.integers(0, 6), st.integers(1, 12))
def test_a_certified_compiled_replay_proves_every_step_between(election, first, gap):
    # The compiled replay certificate, checked against exact runs: the run it returns buys
    # what the exact run buys at that budget, and if it says the replay is certified,
    # every step between the two budgets buys the same set.
    if (found := compiled_for(election)) is None:
        return
    data, per_voter, compiled = found
    for earlier in (
        compiled.follow(per_voter(first), mes_run(data, per_voter(first))),
        mes_run(data, per_voter(first)),
    ):
        if earlier is None:
            continue
        found = compiled.follow(per_voter(first + gap), earlier)
        if found is None:
            continue
        assert set(found.funded) == set(mes_run(data, per_voter(first + gap))[0])
        if found.certified:
            start = set(mes_run(data, per_voter(first))[0])
            for k in range(first, first + gap + 1):
                assert set(mes_run(data, per_voter(k))[0]) == start, k


def test_the_compiled_replay_certifies_and_refuses_on_a_real_election(pabulib):
    # Toulouse 2022: from one step of Add1, some later steps are certified to buy the same
    # set and some are not, and what it says matches the exact certificate's answer where
    # that one is sure of it.
    data, per_voter, compiled = real(pabulib, "France_Toulouse_2022.pb")
    base = mes_run(data, per_voter(400))
    answers = []
    for gap in (1, 2, 4, 8, 64, 512):
        found = compiled.follow(per_voter(400 + gap), base)
        assert found is not None, gap
        assert set(found.funded) == set(mes_run(data, per_voter(400 + gap))[0])
        exact, *_run = mes_follow(data, per_voter(400 + gap), *base)
        if found.certified:
            assert exact, gap  # the float proof is never bolder than the exact one
        answers.append(found.certified)
    assert answers[0] and not answers[-1], answers


def test_an_exact_tie_between_two_capped_projects_is_left_to_the_exact_run():
    # "1" goes first (four supporters); then v1 and v2 hold 6 each, v3 and v4 still 10.
    # "2" (v1, v3, v4) and "3" (v2, v3, v4) both cost 24: each has one supporter who pays
    # all 6 they hold and two who pay 9, so the two tie exactly while a supporter holds
    # something: floats alone cannot prove which comes first.
    projects = [Project("1", 16), Project("2", 24), Project("3", 24)]
    ballots = [
        Ballot(("1", "2"), None, voter_id="v1"),
        Ballot(("1", "3"), None, voter_id="v2"),
        Ballot(("2", "3"), None, voter_id="v3"),
        Ballot(("2", "3"), None, voter_id="v4"),
        Ballot(("1",), None, voter_id="v5"),
        Ballot(("1",), None, voter_id="v6"),
    ]
    data = MesData(prepare(Election("approval", 60, projects, ballots), "id"))
    assert CompiledData(data).follow(10, ([], [])) is None
    assert [data.prep.ids[p] for p in mes_run(data, 10)[0]] == ["1", "2"]
    # Add1 counts such a step exactly, and still gives the outcome of every step.
    fast, slow = add1_both_ways(data, "add1")
    assert (fast[0], fast[1]["per_voter"]) == (slow[0], slow[1]["per_voter"])


def test_the_compiled_run_proves_real_elections(pabulib):
    # Steps of Add1 on two of the slowest shared elections: proven, and the same purchases.
    for name, steps in (
        ("France_Toulouse_2022.pb", range(1, 1600, 160)),
        ("Poland_Warszawa_2024_Mokotow.pb", range(1, 320, 80)),
    ):
        prep = prepare(read_pb(pabulib / name), "id")
        data = MesData(prep)
        origin = Q((prep.budget // prep.money_scale) // prep.num_ballots * prep.money_scale)
        budgets = [origin + k * prep.money_scale for k in steps]
        assert proven_runs(data, budgets) == len(budgets), name


@settings(max_examples=400, deadline=None, database=None, derandomize=True)
@given(approval_elections(), st.integers(0, 6), st.integers(1, 40))
def test_the_interval_certificate_proves_every_step_it_says(election, first, length):
    # ``interval``: from a run at one step, replaying its purchases over a whole range of
    # steps at once. Every step it says is proven buys, by the exact run, the same set.
    if (found := compiled_for(election)) is None:
        return
    data, per_voter, compiled = found
    interval = IntervalData(compiled)
    base = compiled.follow(per_voter(first), ([], []))
    if base is None:
        return
    proven = interval.steps(base.order, per_voter(first), per_voter(first + length), length)
    assert 0 <= proven <= length
    start = set(base.funded)
    for k in range(first, first + proven + 1):
        assert set(mes_run(data, per_voter(k))[0]) == start, k


def test_the_interval_certificate_proves_long_ranges_on_budapest(pabulib):
    # Budapest 2024: where outcomes hold for many steps the interval certificate proves
    # dozens of steps in one replay, each checked here against exact runs; and it proves
    # nothing from an order that is not the run's.
    data, per_voter, compiled = real(pabulib, "Hungary_Budapest_2024.pb")
    interval = IntervalData(compiled)
    base = compiled.follow(per_voter(200), ([], []))
    assert base is not None
    proven = interval.steps(base.order, per_voter(200), per_voter(232), 32)
    assert proven == 32
    for k in (201, 216, 232):
        assert set(mes_run(data, per_voter(k))[0]) == set(base.funded), k
    swapped = list(base.order)
    swapped[-1], swapped[-2] = swapped[-2], swapped[-1]
    shuffled = [swapped[-1], *swapped[:-1]]
    assert interval.steps(shuffled, per_voter(200), per_voter(232), 32) == 0


def built(budget, costs, chosen):
    """An approval election of proposals "1", "2", ... with these costs, one ballot for
    each tuple chosen: its data, Add1's grid and the compiled run's data."""
    projects = [Project(str(i + 1), c) for i, c in enumerate(costs)]
    ballots = [Ballot(c, None, voter_id=str(i)) for i, c in enumerate(chosen)]
    data = MesData(prepare(Election("approval", budget, projects, ballots), "id"))
    return data, grid(data.prep), CompiledData(data)


def test_the_interval_certificate_stops_where_two_prices_cross():
    # At step 2 of Add1 this election buys one set and at step 3 another: two proposals'
    # prices cross in between. The certificate must see where the lines meet and prove
    # step 2 alone (one proving the whole range once passed this by).
    chosen = [
        ("2",), ("4",), ("1", "3"), ("3", "4"), ("1", "2", "3", "4"),
        ("4",), ("1", "2", "4"), ("1", "2"), ("1", "2", "4"),
    ]  # fmt: skip
    data, per_voter, compiled = built(24, [15, 6, 15, 12], chosen)
    base = compiled.follow(per_voter(2), ([], []))
    assert base is not None
    assert set(mes_run(data, per_voter(3))[0]) != set(base.funded)
    assert IntervalData(compiled).steps(base.order, per_voter(2), per_voter(6), 4) == 0


def test_the_certificate_never_rounds_part_of_a_step_up_to_a_whole_step():
    # Found when Add1's first certificate grew: one voter choosing both proposals, each
    # costing 1, with 1/3 to spend. From the exact share (1/3) to step 2 (2 a voter) the
    # certificate proves 0.4 of the range, less than step 1, where the voter can buy one.
    # With the number of steps a gmpy2 integer, as Add1 works it out from rationals,
    # int() of the float times it rounded 0.8 steps up to 1, and Add1 kept an outcome
    # it had not checked.
    data, per_voter, compiled = built(Fraction(1, 3), [1, 1], [("1", "2")])
    assert mes_run(data, per_voter(1))[0] != []
    start = Q(data.prep.budget, data.prep.num_ballots)
    for length in (2, Q(2).numerator):
        assert IntervalData(compiled).steps([], start, per_voter(2), length) == 0


def test_where_the_certificate_says_a_rival_overtakes_on_budapest_the_order_changes(pabulib):
    # A guide for Add1's search, never a proof (no step is skipped on its word); but one
    # pointing past steps where nothing changes would send the search astray. From step
    # 6,016 of Budapest 2024 the certificate proves 129 of 256 steps and says a rival has
    # surely overtaken by step 167: the order first changes at step 151.
    data, per_voter, compiled = real(pabulib, "Hungary_Budapest_2024.pb")
    interval = IntervalData(compiled)
    base = compiled.follow(per_voter(6016), ([], []))
    assert base is not None
    proven = interval.steps(base.order, per_voter(6016), per_voter(6016 + 256), 256)
    assert interval.changed_by is not None
    assert proven < interval.changed_by < 256
    runs = (compiled.follow(per_voter(6016 + s), ([], [])) for s in range(1, 257))
    changed = next(s for s, run in enumerate(runs, 1) if list(run.order) != list(base.order))
    assert proven < changed <= interval.changed_by
    assert mes_run(data, per_voter(6016 + changed))[0] != base.funded


def test_the_interval_certificate_sets_aside_a_rival_nobody_can_afford_yet():
    # Proposal 1 looks cheaper per unit of cost than what is bought, but its supporters
    # cannot pay for it until step 8, when the outcome changes. The certificate from
    # step 3 must prove steps 3 to 7 by that alone, and not step 8.
    chosen = [
        ("1", "2"),
        ("2", "4"),
        ("1", "2", "3"),
        ("2", "4"),
        ("1", "2", "3", "4"),
        ("1", "3", "4"),
    ]
    data, per_voter, compiled = built(26, [60, 60, 5, 15], chosen)
    base = compiled.follow(per_voter(3), ([], []))
    assert base is not None
    for k in range(3, 8):
        assert set(mes_run(data, per_voter(k))[0]) == set(base.funded), k
    assert set(mes_run(data, per_voter(8))[0]) != set(base.funded)
    assert IntervalData(compiled).steps(base.order, per_voter(3), per_voter(10), 7) == 4
