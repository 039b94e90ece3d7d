"""One run of Equal Shares at a given budget per voter, and the replay certificate.

Each round the proposal with the lowest price per unit of satisfaction is bought; ties go
to the tie-break order. Floats only rule out rivals whose price interval lies wholly above
the best one; overlapping contenders are priced exactly.

Replay certificate (``mes_follow``), used by Add1: replaying a run's purchases in the same
order with more money per voter leaves every voter at least as much money and every price
at most as high at each step. So if, at the higher budget, every other project sharing a
voter with the bought one is still dearer than the bought one was at the lower budget (or
equal and behind it in the tie-break order), and nothing else is affordable at the end,
every budget in between buys the same projects (perhaps in another order).

Why only projects sharing a voter: say p is cheaper than every remaining project that
shares a voter with it (in price, then tie-break order). Until p or one of those is
bought, p's supporters keep their money, so p's price stays put while theirs can only
rise: none of them is bought before p, and p is bought at the same price with the same
payments. What is bought before it shares no voter with p, so buying p first changes
none of those purchases' prices, and makes no other project cheaper. So buying p now
leads to the same set of projects, at the same prices, as the count itself.
"""

from __future__ import annotations

import heapq

import numpy as np

from .._numbers import Q
from .bounds import EPS
from .budgets import Budgets, Purchase, _Bought
from .exact import ExactPricing
from .paying import Paying
from .pricing import FloatPricing
from .supporters import MesData


class _Run(Budgets, FloatPricing, ExactPricing, Paying):
    """The state of one run of MES with a given budget per voter."""

    def __init__(self, data: MesData, per_voter):
        self.data = data
        self.rank = data.prep.rank
        start = Q(per_voter)
        # Group 0 holds no money; group 1 is everyone's starting budget.
        self.group = np.ones(data.num_types, dtype=np.intp)
        self.known = {0: Q(0), 1: start}  # exact budgets worked out so far
        # How every other group came about: from ``parent`` by paying the price of
        # purchase ``via`` times the utility its project's ``uvals[urank]``. Room for
        # every group the run can make (``MesData.most_groups``), each slot written when
        # its group is made: none is zeroed first.
        size = data.most_groups
        self.parent, self.via, self.urank = (np.empty(size, dtype=np.intp) for _ in range(3))
        self.budget_f = np.empty(size, dtype=np.float64)
        self.err_f = np.empty(size, dtype=np.float64)  # |float budget - exact budget|
        for array in (self.parent, self.via, self.urank, self.budget_f, self.err_f):
            array[:2] = 0
        self.budget_f[1] = start_f = float(start)
        self.err_f[1] = self.err = EPS * start_f  # ``err`` bounds them all
        self.groups = 2
        self.bought: list[_Bought] = []
        self.forced = 0  # purchases before this one have exact prices
        self.remaining = set(data.candidates)
        self.dirty: set[int] = set()
        self.upper: dict[int, float] = {}  # p -> an upper bound on rho, until a purchase
        self.held_now: dict[int, tuple] = {}  # p -> its supporters' groups and budgets
        self.entry: dict[int, tuple] = {}  # each remaining project's one valid heap entry
        self.exact: dict[int, tuple] = {}  # p -> (rho, plan), valid until the next purchase
        self.heap: list[tuple] = []
        for p in data.candidates:
            self.first_price(p, start)
        heapq.heapify(self.heap)

    def contenders(self, limit: float) -> list[int]:
        """Every remaining project whose price might be at most ``limit``, repriced."""
        heap = self.heap
        found, keep = [], []
        while heap and heap[0][0] <= limit:
            entry = heapq.heappop(heap)
            p = entry[2]
            if p not in self.remaining or self.entry.get(p) is not entry:
                continue
            if p in self.dirty:
                self.refresh(p)
                continue
            keep.append(entry)
            found.append(p)
        for entry in keep:
            heapq.heappush(heap, entry)
        return found

    def top(self):
        """The cheapest remaining affordable project as (p, exact rho or None), or None.

        The exact price is worked out only when floats cannot tell the winner.
        """
        heap = self.heap
        while heap:
            entry = heap[0]
            p = entry[2]
            if p not in self.remaining or self.entry.get(p) is not entry:
                heapq.heappop(heap)
                continue
            if p in self.dirty:
                heapq.heappop(heap)
                self.refresh(p)
                continue
            hi = self.upper_bound(p)
            if hi is None:
                continue  # p could not be afforded after all, and is dropped
            rivals = self.contenders(max(hi, entry[0]))
            if rivals == [p]:
                return p, None
            best = None
            for q in rivals:
                rho = self.exact_price(q)
                if rho is not None and (best is None or (rho, self.rank[q]) < best[:2]):
                    best = (rho, self.rank[q], q)
            if best is not None:
                return best[2], best[0]
        return None

    def buy(self, p, rho=None) -> Purchase:
        """Charge p's supporters ``min(budget, rho * utility)``; returns the purchase."""
        done = None
        if rho is None and p not in self.exact:
            done = self._buy_float(p)
        if done is None:
            done = self._buy_exact(p)
        record, lo, hi = done
        bought = Purchase(self, len(self.bought), p, lo, hi)
        self.remaining.discard(p)
        self.bought.append(record)
        # Reprice the projects that share a supporter with p (when ballots are long,
        # almost all do, and the engine does not look: it reprices them all).
        neighbours = self.data.neighbours_of(p)
        self.dirty |= self.remaining if neighbours is None else self.remaining & neighbours
        self.exact.clear()
        self.upper.clear()
        return bought


def mes_run(data: MesData, per_voter):
    """One run of MES with ``per_voter`` (scaled money) for every voter.

    Returns the projects bought in order and their purchases (with prices).
    """
    run = _Run(data, per_voter)
    funded = []
    purchases = []
    while (best := run.top()) is not None:
        p, rho = best
        funded.append(p)
        purchases.append(run.buy(p, rho))
    return funded, purchases


def mes_follow(data: MesData, per_voter, funded, purchases):
    """Run MES with ``per_voter``, first replaying ``funded`` (bought in ``purchases`` by
    a run with a smaller budget per voter) as long as the replay proves itself.

    Returns ``(certified, funded, purchases)`` of the run at ``per_voter``: ``funded`` is
    the set of projects that run buys, in an order that gives the same set (the replayed
    purchases first; see the module docstring), not necessarily in the run's own order.
    ``certified`` is True when every run between the two budgets buys the same set.
    """
    run = _Run(data, per_voter)
    rank = data.prep.rank
    bought = []
    prices = []
    certified = True
    for p, before in zip(funded, purchases, strict=False):
        # p itself is priced when it is bought: with more money it stays affordable.
        run.dirty.discard(p)
        run.remaining.discard(p)
        beaten = False
        near = data.neighbours_of(p)
        for q in run.contenders(before.hi):
            if near is not None and q not in near:
                continue  # shares no voter with p: buying either first changes nothing
            hi = run.upper_bound(q)
            if hi is None:
                continue  # q could not be afforded after all
            if hi < before.lo:
                beaten = True
            else:
                rho = run.exact_price(q)
                r = before.rho()
                beaten = rho is not None and (rho < r or (rho == r and rank[q] < rank[p]))
            if beaten:
                break
        if beaten:
            # Not proven: put p back and carry on as a plain run.
            run.remaining.add(p)
            run.refresh(p)
            certified = False
            break
        bought.append(p)
        prices.append(run.buy(p))
    while (best := run.top()) is not None:
        certified = False
        p, rho = best
        bought.append(p)
        prices.append(run.buy(p, rho))
    return certified, bought, prices


def method_of_equal_shares(data: MesData):
    """Plain MES with an equal share of the budget. Returns (funded, details)."""
    prep = data.prep
    if prep.num_ballots == 0:
        return [], {"per_voter": None}
    per_voter = Q(prep.budget, prep.num_ballots)
    funded, _purchases = mes_run(data, per_voter)
    return list(data.free) + funded, {"per_voter": per_voter}
