"""Completing Equal Shares: Add1, and the comparison step with greedy.

Plain Equal Shares often leaves money unspent, so the count is repeated with more money
for every voter, one currency unit at a time ("Add1"), keeping the last outcome that fits
the real budget. Two ways of doing so are in use:

* ``add1`` (pabulib's ``equalshares/add1``, as Wieliczka, Świecie and Assen counted):
  after the count at budget / voters, try every voter with the whole number of units
  just above it, then one more, and so on; stop at the first outcome that would cost
  more than the budget and keep the one before.
* ``add1-pabutools`` (pabutools 1.2.3's ``voter_budget_increment=1``): start from
  budget / voters itself and add one unit at a time, but also stop as soon as the
  outcome is exhaustive (nothing left out would still fit).

Both give the outcome of a count at every step of their grid up to the stop, so the
engine need not run every step: it proves ranges of steps equal (the replay certificate
of :func:`voting.counting.equalshares.run.mes_follow`) and only runs counts where the
outcome may change. Each search for the next such step starts from the length of the
last. On approval ballots, once a search has taken ``EXACT_RUNS`` counts (at once if
this process has started Numba already), the replays are done by the compiled run
(``compiled``), whose every decision is proven in floats; where it cannot prove one, that
replay is done exactly. Each compiled replay costs a few per cent of an exact one, but
Numba's start costs a second or more, so short searches in a new process never pay it;
without Numba installed (the downloadable program needs only NumPy) every replay is exact.
From then on, where outcomes hold for many steps, the interval certificate (``interval``)
proves a whole range of steps from one replay: it is used while it proves more steps per
count than the search (it costs about ``COST`` counts), and tried again after ``EXPLORE``
searches when not (twice as many after each try that proves nothing); after an outcome
changes, it first tries as many steps as outcomes have lately held for. Where its bounds
show a rival surely overtaking a purchase, the next certificate stops short of that step
(a guide to where to look, never a proof). Proof obligations used
by the certificates:
*if the replay at ``k + L`` units is certified, or the interval certificate from ``k``
proves ``L`` steps, every run from ``k`` to ``k + L`` buys the same set of projects*
(perhaps in another order), so skipping them changes nothing Add1 decides by; and *from a
budget per voter of at least the sum of all candidate costs, every run buys every
candidate* (no supporter can ever run short), so the search ends.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from typing import Any

import numpy as np

from .._numbers import Q
from .run import mes_follow, mes_run
from .supporters import MesData

# After this many counts, Add1 replays with the compiled run (speed only: the outcome is
# the same either way).
EXACT_RUNS = 16
# The interval certificate costs about COST counts; it is tried again after EXPLORE searches
# (twice as many after each try that proves nothing); one that proves no step is tried
# again shorter if it tried more than WORTH.
COST, EXPLORE, WORTH = 2.0, 8, 16
# Where a certificate's bounds say the order surely changes within NEAR steps, the search
# looks at each of them rather than trying another certificate.
NEAR = 2
# The first certificate tries at least this many steps: the search's guess until then
# counts steps from the start, often 1, and a certificate of one step proves one step.
FIRST_SPAN = 64


def add1(data: MesData, kind: str = "add1"):
    """Equal Shares with Add1 completion. Returns (funded, details)."""
    prep = data.prep
    n = prep.num_ballots
    if n == 0:
        return [], {"per_voter": None, "increments": 0, "runs": 0}
    start = Q(prep.budget, n)
    unit = prep.money_scale
    exhaustive_stop = kind == "add1-pabutools"
    origin = start if exhaustive_stop else Q((prep.budget // unit) // n * unit)
    costs, budget, candidates = prep.costs, prep.budget, data.candidates
    # From this many steps on every run buys every candidate (see the module docstring).
    everything = sum(costs[p] for p in candidates)
    k_max = max(1, int(-(-(everything - origin) // unit)))

    def per_voter(k):
        return start if k == 0 else origin + k * unit

    def verdict(funded):
        """Why Add1 stops at an outcome buying ``funded``, or None to go on."""
        outcome = list(data.free) + funded
        spent = sum(costs[p] for p in outcome)
        if spent > budget:
            return "overspend"
        chosen = set(outcome)
        if exhaustive_stop and not any(
            spent + costs[p] <= budget for p in candidates if p not in chosen
        ):
            return "exhaustive"
        if k >= k_max:
            return "everything"
        return None

    runs = 1
    last_fit = None  # (steps, funded) of the last outcome that fitted, if any
    k = 0
    funded, purchases = mes_run(data, start)
    base: Any = (funded, purchases)  # the run at step k: exact, or a compiled Followed
    compiled = None
    interval: Any = None
    exact_base = None  # the exact run at step k, once the compiled one was not sure
    guess = 1

    def order_of(run):
        if isinstance(run, tuple):
            return interval.compiled.positions(run[0])
        return run.order

    def follow(k_to):
        """(certified, run) of the run at step k_to, replaying ``base``."""
        nonlocal exact_base
        if compiled is not None:
            found = compiled.follow(per_voter(k_to), base)
            if found is not None:
                return found.certified, found
            if exact_base is None:
                exact_base = base if isinstance(base, tuple) else mes_run(data, per_voter(k))
        certified, *run = mes_follow(data, per_voter(k_to), *(exact_base or base))
        return certified, tuple(run)

    # How many steps the next interval certificate tries; steps proven per count by it and
    # by the search (moving averages); searches since it was last tried, and how many to
    # wait before trying it again; the step from which the base run's outcome held.
    span, cert_rate, search_rate, since, held = 1, 0.0, 1.0, EXPLORE, 0
    wait = EXPLORE
    # Steps from k by which the base run's order surely changes (0: not known).
    close = 0
    typical = 0.0

    def change_is_near():
        return 0 < close <= NEAR

    while (stop := verdict(funded)) is None:
        if (
            compiled is None
            and data.compilable
            and (runs >= EXACT_RUNS or numba_loaded())
            and numba_installed()
        ):
            # A long search, or Numba already started: replay with the compiled run from
            # now on, each count a few per cent of an exact one. (Numba takes seconds to
            # start in a new process: short searches never do.)
            from .compiled import CompiledData
            from .interval import IntervalData

            compiled = CompiledData(data)
            interval = IntervalData(compiled)
            span = max(guess, FIRST_SPAN)
        if (
            interval is not None
            and not change_is_near()
            and (cert_rate > COST * search_rate or since >= wait)
        ):
            # One certificate for a range of steps (``interval``): as many steps as it
            # proves buy what step k buys. It costs more than a count and proves little
            # where outcomes change every few steps, so it is used while it proves more
            # steps per count than the search below (and tried now and then when not).
            since = 0
            length = min(span, k_max - k, close - 1 if close else k_max)
            runs += 1
            proven = interval.steps(order_of(base), per_voter(k), per_voter(k + length), length)
            cert_rate += (proven - cert_rate) / 8
            # Where it keeps proving nothing, it is tried ever more rarely.
            wait = 2 * wait if proven == 0 else EXPLORE
            k += proven
            if interval.changed_by is not None:
                close = max(interval.changed_by - proven, 0)
            elif close:
                close = max(close - proven, 0)
            if proven:
                if proven == length:
                    span = 2 * length
                elif close:
                    span = 2 * proven
                else:
                    span = max(2 * proven, length // 2)
                continue
            span = max(length // 4, 1)
            if length > WORTH and not change_is_near():
                continue  # too long for the certificate to hold: try a shorter one
        # ``same`` steps are proven to buy what step ``k`` buys; ``differs`` is the first
        # step found that may not: try guess, 2 x guess, 4 x guess, ... steps until a
        # proof fails (or the steps reach ``k_max``), then halve the gap between the two.
        same, differs = 0, None
        # Where the order surely changes within two steps, look at each of them.
        step = 1 if change_is_near() else guess
        searched = runs
        while differs is None or differs[0] > same + 1:
            tried = min(step, k_max - k) if differs is None else (same + differs[0]) // 2
            runs += 1
            certified, run = follow(k + tried)
            if certified:
                same = tried
                if differs is None and k + same >= k_max:
                    break
                step *= 2
            else:
                differs = (tried, run)
        if differs is None:
            k += same
            stop = "everything"
            break
        last_fit = (k + same, funded)
        search_rate += (differs[0] / (runs - searched) - search_rate) / 8
        since += 1
        if not change_is_near():
            guess = differs[0]  # the next search starts where this one ended
        k += differs[0]
        earlier = order_of(base) if close > differs[0] else None
        base, exact_base = differs[1], None
        # The same order as before: it still surely changes where the bounds said.
        same_order = earlier is not None and np.array_equal(order_of(base), earlier)
        close = close - differs[0] if same_order else 0
        # Outcomes tend to hold about as long as the last one did: the next certificate
        # tries that many steps at once rather than growing from a few again.
        typical += (k - held - typical) / 8
        span, held = max(span, k - held, int(typical)), k
        funded = base[0] if isinstance(base, tuple) else base.funded
    info = {"runs": runs, "stop": stop}
    if stop != "overspend":
        last_k, kept = k, funded
    elif last_fit is None:
        info.update(per_voter=None, increments=0)
        return list(data.free), info
    else:
        last_k, kept = last_fit
    # Rerun the outcome kept, for its order of purchase.
    again, _purchases = mes_run(data, per_voter(last_k))
    if set(again) != set(kept):  # pragma: no cover - the proofs guarantee this
        raise AssertionError("Add1 certificate failed")
    info.update(per_voter=per_voter(last_k), increments=last_k)
    return list(data.free) + again, info


@cache
def numba_installed() -> bool:
    """Whether Numba can be imported. The downloadable counting program needs only NumPy:
    without Numba every replay is exact (slower on long Add1 searches, same outcome)."""
    return importlib.util.find_spec("numba") is not None


def numba_loaded() -> bool:
    """Whether this process has loaded the compiled run already (so it costs nothing to
    start)."""
    module = sys.modules.get(f"{__package__}.compiled")
    return module is not None and bool(module.run.signatures)


def comparison(prep, equal_shares: list[int], by_votes: list[int]) -> dict:
    """The comparison step: how many voters prefer each outcome.

    A voter prefers the outcome that funds more of the proposals they chose (for points
    ballots: more of their points); voters who like both equally count for neither. The
    greedy outcome replaces Equal Shares only if strictly more voters prefer it.
    """
    if prep.is_approval and prep.num_ballots < 2**53:
        prefer_mes, prefer_greedy = _approval_preferences(prep, equal_shares, by_votes)
    else:
        prefer_mes, prefer_greedy = _preferences(prep, equal_shares, by_votes)
    return {
        "prefer_equal_shares": prefer_mes,
        "prefer_greedy": prefer_greedy,
        "kept": "greedy" if prefer_greedy > prefer_mes else "equal_shares",
    }


def _preferences(prep, equal_shares: list[int], by_votes: list[int]) -> tuple[int, int]:
    """Voters preferring each outcome, one ballot type at a time."""
    mes_set, greedy_set = set(equal_shares), set(by_votes)
    prefer_mes = prefer_greedy = 0
    for chosen, points, weight in prep.types:
        if points is None:
            a = sum(1 for p in chosen if p in mes_set)
            b = sum(1 for p in chosen if p in greedy_set)
        else:
            a = sum(x for p, x in zip(chosen, points, strict=True) if p in mes_set)
            b = sum(x for p, x in zip(chosen, points, strict=True) if p in greedy_set)
        if a > b:
            prefer_mes += weight
        elif b > a:
            prefer_greedy += weight
    return prefer_mes, prefer_greedy


def _approval_preferences(prep, equal_shares: list[int], by_votes: list[int]):
    """``_preferences`` for approval ballots with NumPy (whole numbers, so exact)."""
    of_type, chosen, weights = prep.approvals
    m, types = len(prep.ids), prep.num_types
    # +1 for a chosen project only Equal Shares funds, -1 for one only greedy funds.
    lean = np.zeros(m, dtype=np.int64)
    lean[equal_shares] += 1
    lean[by_votes] -= 1
    score = np.bincount(of_type, weights=lean[chosen], minlength=types)
    return int(weights[score > 0].sum()), int(weights[score < 0].sum())
