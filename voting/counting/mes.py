"""The Method of Equal Shares (MES) and its "add one" completion.

Every voter gets an equal share of the budget. A proposal can be bought if its supporters
still hold enough money between them; their payments are as equal as possible (per unit
of satisfaction: per unit of cost for approval ballots, per point for cumulative ones),
with poorer supporters paying everything they have left. Each round the proposal with the
lowest price per unit of satisfaction ``rho`` is bought; ties go to the tie-break order.

Speed comes from three things, none of which changes the outcome:

* Voters with the same ballot are one *type* with a weight, and types that have paid the
  same history of amounts share a *group* with one budget. For every project the engine
  keeps the weight of its supporters in each group, so finding ``rho`` sorts a handful
  of groups, not thousands of voters.
* ``rho`` only rises as budgets shrink, so a stale ``rho`` is a lower bound; a heap keyed
  by (``rho``, tie-break rank) recomputes only projects whose supporters paid since.
* ``mes-add1`` reruns MES with every voter's budget raised by one currency unit at a
  time. Within one run every budget, price and ``rho`` is an affine function of that
  increment, and every decision is a comparison of two such functions. A run records
  the largest further increment for which every comparison it made comes out the same;
  the runs in between would repeat it exactly, so they are skipped. The result is the
  same as pabutools' one-unit-at-a-time loop.
"""

from __future__ import annotations

import heapq

from ._numbers import Q, floor_div
from .prepare import Prepared


class _Bound:
    """The largest increment ``d`` (an int >= 0) for which recorded comparisons still hold."""

    __slots__ = ("limit",)

    def __init__(self):
        self.limit = None  # None: no limit yet

    def keep(self, value, slope, strict):
        """Record that ``value + slope * d`` is ``> 0`` (strict) or ``>= 0`` for d = 0."""
        if slope >= 0:
            return
        x = value / -slope
        limit = floor_div(x.numerator, x.denominator)
        if strict and limit * x.denominator == x.numerator:
            limit -= 1
        if self.limit is None or limit < self.limit:
            self.limit = limit


class MesData:
    """What every run of MES on one election shares."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        costs = prep.costs
        m = len(costs)
        self.approval = prep.is_approval
        # Utility of a project to a supporter: its cost for approval ballots (cost
        # satisfaction), the points given for cumulative ones.
        support = [0] * m
        self.type_projects: list[list[tuple[int, int]]] = []
        self.weights: list[int] = []
        self.supporters: list[list[tuple[int, int]]] = [[] for _ in range(m)]
        for t, (chosen, points, weight) in enumerate(prep.types):
            utilities = points if points is not None else [costs[p] for p in chosen]
            pairs = [(p, u) for p, u in zip(chosen, utilities) if u > 0]
            self.type_projects.append(pairs)
            self.weights.append(weight)
            for p, u in pairs:
                support[p] += weight * u
                self.supporters[p].append((t, u))
        # Projects MES can consider: supported and not free. A free supported project is
        # funded at once (pabutools puts it in the initial allocation).
        self.candidates = [p for p in range(m) if support[p] > 0 and costs[p] > 0]
        self.free = [p for p in range(m) if support[p] > 0 and costs[p] == 0]
        self.is_candidate = [False] * m
        for p in self.candidates:
            self.is_candidate[p] = True


def mes_run(data: MesData, per_voter, slope=None):
    """One run of MES with ``per_voter`` (a rational, scaled money) for every voter.

    With ``slope`` (the change of the per-voter budget for one more increment) it also
    returns how many more increments leave every decision unchanged (None: unbounded).
    Returns ``(funded in order, details, limit)``.
    """
    prep = data.prep
    costs = prep.costs
    rank = prep.rank
    weights = data.weights
    type_projects = data.type_projects
    approval = data.approval
    track = slope is not None
    bound = _Bound()
    zero = Q(0)

    # Group 0 holds every type at first. hist[p] maps a group (approval) or a pair
    # (group, utility) (points) to the weight of p's supporters in it.
    values = [Q(per_voter)]
    slopes = [Q(slope) if track else zero]
    group_of = [0] * len(weights)
    hist: list[dict | None] = [None] * len(costs)
    for p in data.candidates:
        h: dict = {}
        for t, u in data.supporters[p]:
            key = 0 if approval else (0, u)
            h[key] = h.get(key, 0) + weights[t]
        hist[p] = h

    def rho_of(p):
        """Price per unit of satisfaction for p, as (rho, slope), or None if unaffordable."""
        h = hist[p]
        cost = costs[p]
        if approval:
            total = 0
            for g, w in h.items():
                total += values[g] * w
            if total < cost:
                if track:
                    s = 0
                    for g, w in h.items():
                        s += slopes[g] * w
                    bound.keep(cost - total, -s, True)
                short[p] = total
                return None
            entries = sorted(h.items(), key=lambda gw: values[gw[0]])
            left = cost
            weight = 0
            for _g, w in entries:
                weight += w
            capped_slope = 0
            for i, (g, w) in enumerate(entries):
                v = values[g]
                if left <= v * weight:
                    q = Q(left) / weight
                    if track:
                        q_slope = Q(-capped_slope) / weight
                        for g2, _w2 in entries[:i]:
                            bound.keep(q - values[g2], q_slope - slopes[g2], True)
                        for g2, _w2 in entries[i:]:
                            bound.keep(values[g2] - q, slopes[g2] - q_slope, False)
                        return q / cost, q_slope / cost
                    return q / cost, zero
                left -= v * w
                weight -= w
                if track:
                    capped_slope += slopes[g] * w
            raise AssertionError("affordable project without a price")  # pragma: no cover
        total = 0
        for (g, _u), w in h.items():
            total += values[g] * w
        if total < cost:
            if track:
                s = 0
                for (g, _u), w in h.items():
                    s += slopes[g] * w
                bound.keep(cost - total, -s, True)
            short[p] = total
            return None
        entries = sorted(h.items(), key=lambda k: values[k[0][0]] / k[0][1])
        left = cost
        denominator = 0
        for (_g, u), w in entries:
            denominator += u * w
        capped_slope = 0
        for i, ((g, u), w) in enumerate(entries):
            r = Q(left) / denominator
            if r * u <= values[g]:
                if track:
                    r_slope = Q(-capped_slope) / denominator
                    for (g2, u2), _w2 in entries[:i]:
                        bound.keep(r * u2 - values[g2], r_slope * u2 - slopes[g2], True)
                    for (g2, u2), _w2 in entries[i:]:
                        bound.keep(values[g2] - r * u2, slopes[g2] - r_slope * u2, False)
                    return r, r_slope
                return r, zero
            left -= values[g] * w
            denominator -= u * w
            if track:
                capped_slope += slopes[g] * w
        raise AssertionError("affordable project without a price")  # pragma: no cover

    heap = []
    rho_slope = {}
    short = {}  # project -> money its supporters held when it became unaffordable
    remaining = set(data.candidates)
    for p in data.candidates:
        r = rho_of(p)
        if r is None:
            remaining.discard(p)
        else:
            heap.append((r[0], rank[p], p))
            rho_slope[p] = r[1]
    heapq.heapify(heap)
    dirty = set()
    funded = []
    paid = {}
    while heap:
        r, _rank, p = heap[0]
        if p in dirty:
            heapq.heappop(heap)
            dirty.discard(p)
            new = rho_of(p)
            if new is None:
                remaining.discard(p)
            else:
                heapq.heappush(heap, (new[0], rank[p], p))
                rho_slope[p] = new[1]
            continue
        heapq.heappop(heap)
        if track and bound.limit != 0:
            # The winner must stay ahead of every other project's (lower bound of) rho.
            s = rho_slope[p]
            for r2, rank2, p2 in heap:
                bound.keep(r2 - r, rho_slope[p2] - s, rank2 < rank[p])
        if track and bound.limit == 0:
            # Nothing more to learn: the next increment must be run anyway.
            track = False
        funded.append(p)
        remaining.discard(p)
        paid[p] = _pay(
            data,
            p,
            r,
            rho_slope[p] if track else zero,
            values,
            slopes,
            group_of,
            hist,
            remaining,
            dirty,
            track,
        )
        hist[p] = None
    limit = bound.limit if slope is not None else None
    return funded, {"paid": paid, "short": short}, limit


def _pay(data, p, r, r_slope, values, slopes, group_of, hist, remaining, dirty, track):
    """Charge p's supporters ``min(budget, r * utility)``; returns the total paid."""
    weights = data.weights
    approval = data.approval
    zero = Q(0)
    new_group = {}
    total_paid = 0
    for key, w in hist[p].items():
        if approval:
            g, u = key, data.prep.costs[p]
        else:
            g, u = key
        v = values[g]
        price = r * u
        if price <= v:
            nv, ns = v - price, slopes[g] - r_slope * u
            total_paid += price * w
        else:
            nv, ns = zero, zero
            total_paid += v * w
        if nv == 0 and ns == 0:
            new_group[key] = -1  # out of money for good
        else:
            new_group[key] = len(values)
            values.append(nv)
            slopes.append(ns)
    for t, u in data.supporters[p]:
        g = group_of[t]
        if g < 0:
            continue
        old_key = g if approval else (g, u)
        ng = new_group[old_key]
        group_of[t] = ng
        w = weights[t]
        for p2, u2 in data.type_projects[t]:
            if p2 in remaining:
                h = hist[p2]
                k_old = g if approval else (g, u2)
                left = h[k_old] - w
                if left:
                    h[k_old] = left
                else:
                    del h[k_old]
                if ng >= 0:
                    k_new = ng if approval else (ng, u2)
                    h[k_new] = h.get(k_new, 0) + w
                dirty.add(p2)
    return total_paid


def method_of_equal_shares(data: MesData):
    """Plain MES with an equal share of the budget. Returns (funded, details)."""
    prep = data.prep
    if prep.num_ballots == 0:
        return [], {"per_voter": None}
    per_voter = Q(prep.budget, prep.num_ballots)
    funded, details, _ = mes_run(data, per_voter)
    details["per_voter"] = per_voter
    return list(data.free) + funded, details


def mes_add1(data: MesData, max_runs: int | None = None):
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
    previous = (list(data.free), None, None)
    k = 0
    runs = 0
    while True:
        per_voter = base + k * unit
        funded, details, limit = mes_run(data, per_voter, unit)
        runs += 1
        outcome = list(data.free) + funded
        spent = sum(costs[p] for p in outcome)
        if spent > budget:
            selected, details, k_used = previous
            break
        chosen = set(outcome)
        if not any(spent + costs[p] <= budget for p in data.candidates if p not in chosen):
            selected, k_used = outcome, k
            break
        if limit is None:  # pragma: no cover - MES with unlimited money funds everything
            raise AssertionError("mes-add1 would never stop")
        previous = (outcome, details, k)
        k += limit + 1
        if max_runs is not None and runs >= max_runs:  # pragma: no cover
            raise AssertionError("mes-add1 took too many runs")
    info = {
        "runs": runs,
        "increments": k_used,
        "stop": "overspend" if spent > budget else "exhaustive",
    }
    if k_used is None:
        info["per_voter"] = None
        info["increments"] = 0
        return selected, info
    info["per_voter"] = base + k_used * unit
    if details is not None:
        info.update(details)
    return selected, info
