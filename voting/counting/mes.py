"""The Method of Equal Shares (MES) and its "add one" completion.

Every voter gets an equal share of the budget. A proposal can be bought if its supporters
still hold enough money between them; their payments are as equal as possible (per unit
of satisfaction: per unit of cost for approval ballots, per point for cumulative ones),
with poorer supporters paying everything they have left. Each round the proposal with the
lowest price per unit of satisfaction ``rho`` is bought; ties go to the tie-break order.

Speed comes from three things, none of which changes the outcome:

* Voters with the same ballot are one *type* with a weight, and types that have paid the
  same amounts share a *group* with one budget. For every project the engine keeps the
  number of its supporters in each group, so finding ``rho`` sorts a few groups, not
  thousands of voters, and a payment moves whole sets of types with C-level set and
  Counter operations.
* ``rho`` only rises as budgets shrink, so a stale ``rho`` is a lower bound; a heap keyed
  by (``rho``, tie-break rank) recomputes only projects whose supporters paid since.
* ``mes-add1`` reruns MES with every voter's budget raised by one currency unit at a
  time, up to hundreds of times. Replaying the projects one run bought, in the same
  order, with a larger budget per voter leaves every voter at least as much money and
  every price at most as high at each step. So if, replayed at ``k + L`` extra units,
  every other project is still dearer than the price the bought one had at ``k`` units
  (or equal and behind it in the tie-break order), and nothing else is affordable at the
  end, then every run from ``k`` to ``k + L`` buys exactly the same projects and those runs
  are skipped. The result is the same as pabutools' one-unit-at-a-time loop.
"""

from __future__ import annotations

import heapq
from collections import Counter, deque
from itertools import chain

from ._numbers import Q
from .prepare import Prepared


class MesData:
    """What every run of MES on one election shares."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        costs = prep.costs
        m = len(costs)
        self.approval = approval = prep.is_approval
        support = [0] * m
        for chosen, points, weight in prep.types:
            if points is None:
                for p in chosen:
                    support[p] += weight
            else:
                for p, u in zip(chosen, points, strict=False):
                    support[p] += weight * u
        # Projects MES can consider: supported and not free. A free supported project is
        # funded at once, as pabutools puts it in the initial allocation. With cost
        # satisfaction a free project gives no satisfaction, so it is not supported.
        if approval:
            support = [s if c > 0 else 0 for s, c in zip(support, costs, strict=False)]
        self.candidates = [p for p in range(m) if support[p] > 0 and costs[p] > 0]
        self.free = [p for p in range(m) if support[p] > 0 and costs[p] == 0]
        self.is_candidate = [False] * m
        for p in self.candidates:
            self.is_candidate[p] = True
        # For each project: its supporting types, once each and repeated by weight (so
        # that a Counter over them counts voters), and with points the utilities alongside.
        types: list[list[int]] = [[] for _ in range(m)]
        utilities: list[list[int]] = [[] for _ in range(m)]
        for t, (chosen, points, _weight) in enumerate(prep.types):
            if points is None:
                for p in chosen:
                    types[p].append(t)
            else:
                for p, u in zip(chosen, points, strict=False):
                    if u > 0:
                        types[p].append(t)
                        utilities[p].append(u)
        self.weights = weights = [weight for _chosen, _points, weight in prep.types]
        # Voters supporting each project, and with points, how many gave each number.
        self.support_voters = [sum(weights[t] for t in ts) for ts in types]
        self.support_points: list[dict[int, int]] = []
        for ts, us in zip(types, utilities, strict=False):
            by_points: dict[int, int] = {}
            for t, u in zip(ts, us, strict=False):
                by_points[u] = by_points.get(u, 0) + weights[t]
            self.support_points.append(by_points)
        self.types = [tuple(ts) for ts in types]
        self.utilities = [tuple(us) for us in utilities]
        # Count supporters voter by voter with a C-level Counter, unless identical
        # ballots are common enough that a loop over ballot types with weights is faster.
        self.types_w: list[tuple | None] = []
        self.utilities_w: list[tuple | None] = []
        for ts, us in zip(types, utilities, strict=False):
            voters = sum(weights[t] for t in ts)
            if voters > 3 * len(ts):
                self.types_w.append(None)
                self.utilities_w.append(None)
                continue
            self.types_w.append(tuple(chain.from_iterable([t] * weights[t] for t in ts)))
            self.utilities_w.append(
                tuple(chain.from_iterable([u] * weights[t] for t, u in zip(ts, us, strict=False)))
            )
        self.num_types = len(prep.types)


class _Run:
    """The state of one run of MES with a given budget per voter."""

    def __init__(self, data: MesData, per_voter):
        self.data = data
        self.costs = data.prep.costs
        self.rank = data.prep.rank
        self.approval = data.approval
        # Every voter type's budget; types with equal budgets share the same value.
        self.budget = [Q(per_voter)] * data.num_types
        self.hist: dict[int, dict] = {}  # p -> supporters by budget, when p is clean
        self.short: dict[int, object] = {}  # money p's supporters held when p became unaffordable
        self.remaining = set(data.candidates)
        self.dirty: set[int] = set()
        heap = []
        # The price in each remaining project's one valid heap entry; others are stale.
        self.live: dict[int, object] = {}
        start = self.budget[0] if data.num_types else None
        for p in data.candidates:
            # Everyone has the same budget at first, so p's supporters are one group.
            if self.approval:
                h = {start: data.support_voters[p]}
            else:
                h = {(start, u): w for u, w in data.support_points[p].items()}
            r = self.price(p, h)
            if r is None:
                self.remaining.discard(p)
            else:
                heap.append((r, self.rank[p], p))
                self.live[p] = r
        heapq.heapify(heap)
        self.heap = heap

    def push(self, p, r):
        heapq.heappush(self.heap, (r, self.rank[p], p))
        self.live[p] = r

    def price(self, p, h=None):
        """rho for p now, or None if its supporters cannot afford it.

        ``h`` is p's supporters by budget (and points) when the caller knows it already.
        """
        data = self.data
        cost = self.costs[p]
        get = self.budget.__getitem__
        if self.approval:
            if h is not None:
                pass
            elif data.types_w[p] is None:
                h = {}
                weights = data.weights
                for t in data.types[p]:
                    v = get(t)
                    h[v] = h.get(v, 0) + weights[t]
            else:
                h = Counter(map(get, data.types_w[p]))
            h.pop(0, None)  # people with no money left
            self.hist[p] = h
            left = cost
            weight = sum(h.values())
            # Poorest first; usually only a few are too poor to pay the common price, so
            # a heap beats sorting them all.
            poorest = list(h)
            heapq.heapify(poorest)
            while poorest:
                v = heapq.heappop(poorest)
                if left <= v * weight:
                    return Q(left) / (weight * cost)
                w = h[v]
                left -= v * w
                weight -= w
        else:
            if h is not None:
                pass
            elif data.types_w[p] is None:
                h = {}
                weights = data.weights
                for t, u in zip(data.types[p], data.utilities[p], strict=False):
                    key = (get(t), u)
                    h[key] = h.get(key, 0) + weights[t]
            else:
                h = Counter(zip(map(get, data.types_w[p]), data.utilities_w[p], strict=False))
            self.hist[p] = h
            left = cost
            denominator = 0
            for (_v, u), w in h.items():
                denominator += u * w
            for (v, u), w in sorted(h.items(), key=lambda k: k[0][0] / k[0][1]):
                r = Q(left) / denominator
                if r * u <= v:
                    return r
                left -= v * w
                denominator -= u * w
        # Everyone would pay all they have, and it is still not enough.
        self.short[p] = cost - left
        return None

    def top(self):
        """The cheapest remaining affordable project as (rho, rank, p), or None."""
        heap = self.heap
        remaining = self.remaining
        dirty = self.dirty
        live = self.live
        while heap:
            r, _rank, p = heap[0]
            if p not in remaining or live[p] is not r:
                heapq.heappop(heap)
            elif p in dirty:
                heapq.heappop(heap)
                dirty.discard(p)
                r = self.price(p)
                if r is None:
                    remaining.discard(p)
                else:
                    self.push(p, r)
            else:
                return heap[0]
        return None

    def buy(self, p, r):
        """Charge p's supporters ``min(budget, r * utility)``; returns the total paid.

        p must be clean: its supporters' budgets unchanged since its price was found.
        """
        self.remaining.discard(p)
        data = self.data
        zero = Q(0)
        total_paid = 0
        budget = self.budget
        h = self.hist.pop(p)
        if self.approval:
            price = r * self.costs[p]
            after = {}
            for v, w in h.items():
                if price < v:
                    after[v] = v - price
                    total_paid += price * w
                else:
                    after[v] = zero
                    total_paid += v * w
            after[0] = zero
            ts = data.types[p]
            new = list(map(after.__getitem__, map(budget.__getitem__, ts)))
        else:
            after = {}
            for (v, u), w in h.items():
                price = r * u
                if price < v:
                    after[v, u] = v - price
                    total_paid += price * w
                else:
                    after[v, u] = zero
                    total_paid += v * w
            ts = data.types[p]
            pairs = zip(map(budget.__getitem__, ts), data.utilities[p], strict=False)
            new = list(map(after.__getitem__, pairs))
        deque(map(budget.__setitem__, ts, new), maxlen=0)
        # Every remaining project may share a supporter with p: in real elections almost
        # all do, and checking costs more than recomputing the few that do not.
        self.dirty |= self.remaining
        return total_paid


def mes_run(data: MesData, per_voter):
    """One run of MES with ``per_voter`` (scaled money) for every voter.

    Returns the projects bought in order, the rho each was bought at, and details.
    """
    run = _Run(data, per_voter)
    funded = []
    rhos = []
    paid = {}
    while (best := run.top()) is not None:
        r, _rank, p = best
        funded.append(p)
        rhos.append(r)
        paid[p] = run.buy(p, r)
    return funded, rhos, {"paid": paid, "short": run.short}


def mes_follow(data: MesData, per_voter, funded, rhos):
    """Run MES with ``per_voter``, first replaying ``funded`` (bought at prices ``rhos`` by
    a run with a smaller budget per voter) as long as the replay proves itself.

    Returns ``(certified, funded, rhos, details)`` of the run at ``per_voter``.
    ``certified`` is True when every run between the two budgets buys exactly the same
    projects in the same order (see the module docstring).
    """
    run = _Run(data, per_voter)
    rank = data.prep.rank
    bought = []
    prices = []
    paid = {}
    certified = True
    for p, r in zip(funded, rhos, strict=False):
        run.dirty.discard(p)
        price = run.price(p)
        if price is None:  # pragma: no cover - more money cannot make p unaffordable
            raise AssertionError("mes-add1: a project became unaffordable with more money")
        run.remaining.discard(p)
        rival = run.top()
        if rival is not None and (rival[0] < r or (rival[0] == r and rival[1] < rank[p])):
            # Not proven: put p back and carry on as a plain run.
            run.remaining.add(p)
            run.push(p, price)
            certified = False
            break
        bought.append(p)
        prices.append(price)
        paid[p] = run.buy(p, price)
    while (best := run.top()) is not None:
        certified = False
        r, _rank, p = best
        bought.append(p)
        prices.append(r)
        paid[p] = run.buy(p, r)
    return certified, bought, prices, {"paid": paid, "short": run.short}


def method_of_equal_shares(data: MesData):
    """Plain MES with an equal share of the budget. Returns (funded, details)."""
    prep = data.prep
    if prep.num_ballots == 0:
        return [], {"per_voter": None}
    per_voter = Q(prep.budget, prep.num_ballots)
    funded, _rhos, details = mes_run(data, per_voter)
    details["per_voter"] = per_voter
    return list(data.free) + funded, details


def mes_add1(data: MesData):
    """MES, rerun with one more currency unit per voter until the outcome is exhaustive
    or would overspend; in that case the last outcome that fitted is kept.
    """
    prep = data.prep
    if prep.num_ballots == 0:
        return [], {"per_voter": None, "increments": 0, "runs": 0}
    base = Q(prep.budget, prep.num_ballots)
    unit = prep.money_scale
    costs = prep.costs
    budget = prep.budget
    candidates = data.candidates
    runs = 1
    span = 1
    last_fit = None  # (increment, funded) of the last outcome that fitted, if any
    k = 0
    funded, rhos, details = mes_run(data, base)
    while True:
        outcome = list(data.free) + funded
        spent = sum(costs[p] for p in outcome)
        if spent > budget:
            stop = "overspend"
            break
        chosen = set(outcome)
        if not any(spent + costs[p] <= budget for p in candidates if p not in chosen):
            stop = "exhaustive"
            break
        # Try to prove that the next ``span`` increments buy the same; gallop on success.
        while True:
            runs += 1
            certified, funded2, rhos2, details2 = mes_follow(
                data, base + (k + span) * unit, funded, rhos
            )
            if certified:
                k += span
                rhos, details = rhos2, details2
                span *= 2
                continue
            if span == 1:
                break
            span = 1
        last_fit = (k, funded)
        k += 1
        funded, rhos, details = funded2, rhos2, details2
    info = {"runs": runs, "stop": stop}
    if stop == "exhaustive":
        info.update(details, per_voter=base + k * unit, increments=k)
        return outcome, info
    if last_fit is None:
        info.update(per_voter=None, increments=0)
        return list(data.free), info
    # Rerun the last increment that fitted, for the explanation's details.
    last_k, funded = last_fit
    again, _rhos, details = mes_run(data, base + last_k * unit)
    if again != funded:  # pragma: no cover - the certificate guarantees this
        raise AssertionError("mes-add1 certificate failed")
    info.update(details, per_voter=base + last_k * unit, increments=last_k)
    return list(data.free) + funded, info
