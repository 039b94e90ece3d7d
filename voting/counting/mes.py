"""The Method of Equal Shares (MES) and its "add one" completion.

Every voter gets an equal share of the budget. A proposal can be bought if its supporters
still hold enough money between them; their payments are as equal as possible (per unit
of satisfaction: per unit of cost for approval ballots, per point for cumulative ones),
with poorer supporters paying everything they have left. Each round the proposal with the
lowest price per unit of satisfaction ``rho`` is bought; ties go to the tie-break order.

Every price the count buys at, and every budget, is an exact rational number. Speed comes
from these, none of which changes the outcome:

* Voters with the same ballot are one *type*, and types with the same budget share a
  *group*. A purchase moves each group of its supporters to a new group, so arrays of
  group numbers (NumPy) say who holds what, and a group's exact budget is only worked
  out when a decision needs it: it is its parent group's budget less the price paid.
* Every group also carries its budget as a float, with a proven bound ``err`` on how far
  the float can be from the exact value. Rivals are priced in floats, each price with an
  interval that surely holds the exact ``rho``. A rival whose interval lies wholly above
  the best one cannot win; when intervals overlap (a tie or a near-tie) the contenders
  are priced exactly. The winner's price is always worked out exactly, and that exact
  working checks every float assumption it relies on, redoing the work in full if one
  fails. Floats thus only rule out rivals that are clearly dearer; they never decide.
* ``rho`` only rises as budgets shrink, so a stale interval's lower end is still a lower
  bound: a heap keyed by it reprices only projects that could be the cheapest.
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

import numpy as np

from ._numbers import Q
from .prepare import Prepared

# One unit in the last place of a float near 1; also covers rationals converted to float
# by truncation (gmpy2) rather than by rounding.
EPS = 2.0**-52
# Extra relative room on every float bound, far above any rounding in these sums.
SLACK = 1e-12
UNAFFORDABLE = "unaffordable"
UNSURE = "unsure"


class Supporters:
    """One project's supporting ballot types, as arrays for NumPy."""

    __slots__ = (
        "cost",
        "cost_f",
        "n",
        "nu",
        "total_u",
        "total_u_f",
        "types",
        "u",
        "urank",
        "uvals",
        "uvals_f",
        "voters",
        "w",
        "wu",
    )

    def __init__(self, cost: int, types: list[int], weights: list[int], utilities):
        self.cost = cost
        self.cost_f = float(cost)
        self.n = len(types)
        self.types = np.array(types, dtype=np.intp)
        self.w = np.array(weights, dtype=np.float64)
        self.voters = sum(weights)
        if utilities is None:  # approval: every supporter gets the cost as satisfaction
            self.uvals = [cost]
            self.urank = None
            self.u = np.full(self.n, self.cost_f)
            self.total_u = self.voters * cost
        else:
            self.uvals = sorted(set(utilities))
            index = {u: i for i, u in enumerate(self.uvals)}
            self.urank = np.array([index[u] for u in utilities], dtype=np.intp)
            self.u = np.array(utilities, dtype=np.float64)
            self.total_u = sum(u * w for u, w in zip(utilities, weights, strict=True))
        self.nu = len(self.uvals)
        self.uvals_f = np.array(self.uvals, dtype=np.float64)
        self.wu = self.w * self.u
        self.total_u_f = float(self.total_u)


class MesData:
    """What every run of MES on one election shares."""

    def __init__(self, prep: Prepared, eligible: list[bool] | None = None):
        self.prep = prep
        costs = prep.costs
        m = len(costs)
        self.approval = approval = prep.is_approval
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
        weights = [weight for _chosen, _points, weight in prep.types]
        # Projects MES can consider: supported and not free. A free supported project is
        # funded at once, as pabutools puts it in the initial allocation. With cost
        # satisfaction a free project gives no satisfaction, so it is not supported.
        supported = [
            bool(ts) and (costs[p] > 0 or not approval) and (eligible is None or eligible[p])
            for p, ts in enumerate(types)
        ]
        self.candidates = [p for p in range(m) if supported[p] and costs[p] > 0]
        self.free = [p for p in range(m) if supported[p] and costs[p] == 0]
        self.is_candidate = [False] * m
        self.supporters: list[Supporters | None] = [None] * m
        for p in self.candidates:
            self.is_candidate[p] = True
            self.supporters[p] = Supporters(
                costs[p],
                types[p],
                [weights[t] for t in types[p]],
                None if approval else utilities[p],
            )
        self.num_types = len(prep.types)
        # Which projects each ballot type supports, to find the projects that share a
        # supporter with a purchase (kept only while it is small).
        self.neighbours: dict[int, set[int]] = {}
        self.incidence = None
        if self.num_types * m <= 20_000_000:
            self.incidence = np.zeros((self.num_types, m), dtype=bool)
            for p, ts in enumerate(types):
                self.incidence[ts, p] = True
        # Floats hold every cost and sum of utilities exactly (below 2**53), so the float
        # bounds hold; otherwise every price is worked out exactly.
        self.floats_exact = all(
            s.total_u < 2**53 and s.cost < 2**53 for s in self.supporters if s is not None
        )

    def neighbours_of(self, p: int) -> set[int] | None:
        """Projects sharing a supporter with p, or None if not worked out."""
        if self.incidence is None:
            return None
        if p not in self.neighbours:
            shared = self.incidence[self.supporters[p].types].any(axis=0)
            self.neighbours[p] = set(np.flatnonzero(shared).tolist())
        return self.neighbours[p]


class Purchase:
    """One project bought by a run, at a price known within a proven interval [lo, hi].

    The run keeps what it needs to work the exact price out; a purchase refers to its
    run, never the other way round, so a finished run is freed with its purchases.
    """

    __slots__ = ("hi", "index", "lo", "project", "run")

    def __init__(self, run, index, project, lo, hi):
        self.run = run
        self.index = index
        self.project = project
        self.lo, self.hi = lo, hi

    def rho(self):
        """The exact price (worked out now if it was not yet)."""
        return self.run.price_paid(self.index)


class _Bought:
    """What a run remembers of a purchase to work out its exact price when needed."""

    __slots__ = ("exact", "poor_counts", "poor_groups", "project", "rich_u")

    def __init__(self, project, exact=None, poor=((), ()), rich_u=None):
        self.project = project
        self.exact = exact
        # Until the exact price is needed: the groups that paid all they had, and the sum
        # of utility x voters over those who paid the common price.
        self.poor_groups, self.poor_counts = poor
        self.rich_u = rich_u


class _Run:
    """The state of one run of MES with a given budget per voter."""

    def __init__(self, data: MesData, per_voter, explain: bool = False):
        self.data = data
        self.rank = data.prep.rank
        self.explain = explain
        start = Q(per_voter)
        # Group 0 holds no money; group 1 is everyone's starting budget.
        self.group = np.ones(data.num_types, dtype=np.intp)
        self.known = {0: Q(0), 1: start}  # exact budgets worked out so far
        size = max(64, 2 * data.num_types)
        # How every other group came about: from ``parent`` by paying the price of
        # purchase ``via`` times the utility its project's ``uvals[urank]``.
        self.parent = np.zeros(size, dtype=np.intp)
        self.via = np.zeros(size, dtype=np.intp)
        self.urank = np.zeros(size, dtype=np.intp)
        self.budget_f = np.zeros(size, dtype=np.float64)
        self.err_f = np.zeros(size, dtype=np.float64)  # |float budget - exact budget|
        self.budget_f[1] = start_f = float(start)
        self.err_f[1] = self.err = EPS * start_f  # ``err`` bounds them all
        self.groups = 2
        self.bought: list[_Bought] = []
        self.forced = 0  # purchases before this one have exact prices
        self.remaining = set(data.candidates)
        self.dirty: set[int] = set()
        self.upper: dict[int, float] = {}  # p -> an upper bound on rho, until a purchase
        self.entry: dict[int, tuple] = {}  # each remaining project's one valid heap entry
        self.exact: dict[int, tuple] = {}  # p -> (rho, plan), valid until the next purchase
        self.short: dict[int, object] = {}  # money p's supporters held when it was unaffordable
        self.heap: list[tuple] = []
        for p in data.candidates:
            self.first_price(p, start)
        heapq.heapify(self.heap)

    # Budgets -------------------------------------------------------------------------

    def force(self, index: int) -> None:
        """Work out the exact prices of purchases up to ``index``, in order."""
        while self.forced <= index:
            buy = self.bought[self.forced]
            if buy.exact is None:
                cost = self.data.supporters[buy.project].cost
                held = self.money_held(buy.poor_groups, buy.poor_counts)
                buy.exact = Q(cost - held) / buy.rich_u
            self.forced += 1

    def money_held(self, groups, counts):
        """The exact money of ``counts[i]`` voters in group ``groups[i]``, summed."""
        pairs = zip(np.asarray(groups).tolist(), np.asarray(counts).tolist(), strict=True)
        return sum(self.value(g) * int(count) for g, count in pairs)

    def price_paid(self, index: int):
        """The exact price of purchase ``index``."""
        buy = self.bought[index]
        if buy.exact is None:
            self.force(index)
        return buy.exact

    def value(self, g):
        """Group g's exact budget."""
        known = self.known
        if g in known:
            return known[g]
        path = []
        parent = self.parent
        while g not in known:
            path.append(g)
            g = int(parent[g])
        v = known[g]
        supporters, bought = self.data.supporters, self.bought
        for h in reversed(path):
            via = self.via[h]
            price = self.price_paid(via)
            v = v - price * supporters[bought[via].project].uvals[self.urank[h]]
            known[h] = v
        return v

    def new_groups(self, count: int) -> int:
        first = self.groups
        self.groups += count
        if self.groups > len(self.budget_f):
            for name in ("budget_f", "err_f", "parent", "via", "urank"):
                grown = np.zeros(2 * self.groups, dtype=getattr(self, name).dtype)
                grown[:first] = getattr(self, name)[:first]
                setattr(self, name, grown)
        return first

    # Prices --------------------------------------------------------------------------

    def _fill(self, s: Supporters, v, rho: float):
        """Float water-filling from a starting rho at most the answer.

        Returns (money of those who pay all, utility x voters of the rest, rho), or None
        if floats cannot tell.
        """
        c = s.cost_f
        # Compare budgets with rho x utility: for approval the utility is the cost.
        if s.urank is None:
            ratio, scale = v, c
        else:
            ratio, scale = v / s.u, 1.0
        spent, rich = 0.0, s.total_u_f
        poorest = -1
        for _ in range(64):
            poor = ratio < rho * scale
            k = int(np.count_nonzero(poor))
            if k == poorest:
                return spent, rich, rho, k, poor
            poorest = k
            if k:
                spent = float(v[poor] @ s.w[poor])
                rich = s.total_u_f - float(s.wu[poor].sum())
            if rich <= 0 or spent >= c:
                return None
            rho = (c - spent) / rich
        return None  # pragma: no cover - only with pathological budgets

    def float_price(self, p):
        """A lower bound on p's rho, or UNAFFORDABLE, or UNSURE.

        Every float budget is within ``err`` of the exact one; a lower price comes from
        giving everyone ``err`` more money, as more money never raises a price.
        """
        if not self.data.floats_exact:
            return UNSURE
        s = self.data.supporters[p]
        v = self.budget_f[self.group[s.types]]
        c = s.cost_f
        total = float(v @ s.w)
        doubt = self.err * s.voters + (s.n + 8) * EPS * (total + self.err * s.voters)
        if total + doubt < c:
            return UNAFFORDABLE
        if total - doubt <= c:
            return UNSURE
        found = self._fill(s, v + self.err, c / s.total_u_f)
        if found is None:
            return UNSURE
        spent, rich, _rho, k, _poor = found
        spent *= 1 + (k + 4) * EPS
        return (c - spent) / rich * (1 - 8 * EPS) * (1 - SLACK)

    def first_price(self, p, start) -> None:
        """Price p while every voter still holds ``start``: then, unless some supporter
        would pay more than ``start``, everyone pays the same and rho = cost / utility.
        """
        s = self.data.supporters[p]
        if start * s.voters < s.cost:
            self.remaining.discard(p)
            if self.explain:
                self.short[p] = start * s.voters
            return
        if s.cost * s.uvals[-1] > start * s.total_u:
            self.refresh(p, push=False)
            return
        rho = s.cost_f / s.total_u_f  # correctly rounded: both are exact in floats
        self.upper[p] = rho * (1 + 4 * EPS)
        entry = (rho * (1 - 4 * EPS), self.rank[p], p)
        self.entry[p] = entry
        self.heap.append(entry)

    def upper_bound(self, p) -> float | None:
        """An upper bound on p's rho (p is clean), or None if p turns out unaffordable.

        Water-filling with everyone's budget lowered by ``err`` suggests the bound; it is
        proven by checking that at that price the supporters, each paying what they can
        up to it from the lowered budgets, cover the cost. Else rho is worked out exactly.
        """
        if p in self.upper:
            return self.upper[p]
        s = self.data.supporters[p]
        hi = None
        if self.data.floats_exact:
            v = self.budget_f[self.group[s.types]] - self.err
            found = self._fill(s, v, self.entry[p][0])
            if found is not None:
                spent, rich, rho, k, _poor = found
                # Room above the water level for the rounding of the check below.
                rounding = (s.n + 8) * EPS * (2 * rho * s.total_u_f + self.err * s.voters)
                spent = spent - (k + 4) * EPS * abs(spent)
                hi = ((s.cost_f - spent) + 2 * rounding) / rich * (1 + 8 * EPS) * (1 + SLACK)
                covered = float(np.minimum(v, hi * s.u) @ s.w)
                bound = (s.n + 8) * EPS * (hi * s.total_u_f + self.err * s.voters)
                if covered - bound < s.cost_f:
                    hi = None
        if hi is None:
            rho = self.exact_price(p)
            if rho is None:
                return None
            hi = float(rho) * (1 + 8 * EPS)
        self.upper[p] = hi
        return hi

    def refresh(self, p, push: bool = True) -> bool:
        """Reprice p in floats (exactly when floats cannot tell); False if unaffordable."""
        self.dirty.discard(p)
        lo = self.float_price(p)
        if lo is UNAFFORDABLE:
            self.drop(p)
            return False
        if lo is UNSURE:
            rho = self.exact_price(p)
            if rho is None:
                return False
            lo = float(rho) * (1 - 8 * EPS)
            self.upper[p] = float(rho) * (1 + 8 * EPS)
        entry = (lo, self.rank[p], p)
        self.entry[p] = entry
        if push:
            heapq.heappush(self.heap, entry)
        else:
            self.heap.append(entry)
        return True

    def drop(self, p) -> None:
        """p's supporters cannot afford it."""
        self.remaining.discard(p)
        if self.explain:
            s = self.data.supporters[p]
            counts = np.bincount(self.group[s.types], weights=s.w)
            groups = np.flatnonzero(counts)
            self.short[p] = self.money_held(groups, counts[groups])

    def exact_price(self, p):
        """p's exact rho, or None if its supporters cannot afford it (p is dropped)."""
        if p in self.exact:
            return self.exact[p][0]
        found = self._exact_price(p, self.upper.get(p))
        if found is False:  # a float bound did not hold: work it out in full
            found = self._exact_price(p, None)
        if found is None:
            self.drop(p)
            return None
        self.exact[p] = found
        return found[0]

    def _keys(self, s: Supporters):
        """p's supporters by (group, utility): the keys, voters in each, and per supporter."""
        groups_of = self.group[s.types]
        keys_of = groups_of if s.urank is None else groups_of * s.nu + s.urank
        counts = np.bincount(keys_of, weights=s.w)
        keys = np.flatnonzero(counts)
        counts = counts[keys]
        if s.urank is None:
            groups, ranks = keys, np.zeros(len(keys), dtype=np.intp)
        else:
            groups, ranks = np.divmod(keys, s.nu)
        return keys_of, keys, counts, groups, ranks

    def _exact_price(self, p, hi):
        """Water-filling over p's supporters by group, in exact arithmetic.

        With ``hi`` (an upper bound on rho from floats) only the groups that might be too
        poor to pay the common price are worked out exactly; the rest are checked, in
        floats with the error bound, to hold more than they will pay. Returns False when
        that check fails, None when p is unaffordable, else (rho, plan).
        """
        s = self.data.supporters[p]
        keys_of, keys, counts, groups, ranks = self._keys(s)
        uvals = s.uvals
        ufloat = s.uvals_f[ranks]
        vfloat = self.budget_f[groups]
        if hi is None:
            maybe_poor = np.ones(len(keys), dtype=bool)
        else:
            maybe_poor = (vfloat - self.err) <= hi * (1 + SLACK) * ufloat
        poor_idx = np.flatnonzero(maybe_poor)
        rows = []
        for i, g, r, w in zip(
            poor_idx.tolist(),
            groups[poor_idx].tolist(),
            ranks[poor_idx].tolist(),
            counts[poor_idx].tolist(),
            strict=True,
        ):
            rows.append((self.value(g), uvals[r], int(w), i))
        if s.urank is None:
            rows.sort(key=lambda row: row[0])
        else:
            rows.sort(key=lambda row: row[0] / row[1])
        left = s.cost
        rich = s.total_u  # sum of utility x voters over those not yet known to be poor
        rho = None
        for v, u, w, _i in rows:
            if left * u <= v * rich:
                rho = Q(left) / rich
                break
            left -= v * w
            rich -= u * w
        if rho is None:
            if rich == 0:
                return None  # everyone pays all they have, and it is still not enough
            rho = Q(left) / rich
        if len(poor_idx) < len(keys):
            # Every group taken as rich must hold at least rho x utility: check it.
            rest = ~maybe_poor
            lowest = float(np.min((vfloat[rest] - self.err) / ufloat[rest]))
            if not lowest >= float(rho) * (1 + SLACK):
                return False
        plan = (keys_of, keys, groups, ranks, rows, maybe_poor)
        return rho, plan

    # The count -----------------------------------------------------------------------

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

    def _regroup(self, s, keys_of, keys, new) -> None:
        lookup = np.zeros(int(keys[-1]) + 1, dtype=np.intp)
        lookup[keys] = new
        self.group[s.types] = lookup[keys_of]

    def _buy_float(self, p):
        """Buy p at a price known within a proven interval, if floats can prove it.

        The interval holds the exact price if every group taken as poor holds less than
        its lower end times its utility, and every other group at least its upper end
        times its utility: then both ends bracket the same water level. None otherwise.
        """
        if not self.data.floats_exact:
            return None
        s = self.data.supporters[p]
        old = self.group[s.types]
        v = self.budget_f[old]
        found = self._fill(s, v, s.cost_f / s.total_u_f)
        if found is None:
            return None
        spent, rich, rho, k, poor = found
        e = self.err_f[old]
        w, u = s.w, s.u
        doubt = (k + 4) * EPS * abs(spent) + EPS * s.cost_f
        if k:
            doubt += float(e[poor] @ w[poor])
        margin = doubt / rich + 4 * EPS * rho
        lo, hi = rho - margin, rho + margin
        tight = 1 + 4 * EPS
        rest = np.flatnonzero(~poor) if k else np.arange(s.n)
        if s.urank is None:  # approval: everyone's utility is the cost
            u = s.cost_f
            if k and not ((v[poor] + e[poor]) * tight).max() < lo * u / tight:
                return None
            if not ((v[rest] - e[rest]) / tight).min() >= hi * u * tight:
                return None
            paid, doubt = rho * u, margin * u
        else:
            if k and not ((v[poor] + e[poor]) * tight < lo * u[poor] / tight).all():
                return None
            if not ((v[rest] - e[rest]) / tight >= hi * u[rest] * tight).all():
                return None
            paid, doubt = rho * u[rest], margin * u[rest]
        record = _Bought(p, poor=(old[poor], w[poor]), rich_u=int(rich))
        # Each supporting type moves on its own: the poor to group 0, the rest to new groups.
        new = np.zeros(s.n, dtype=np.intp)
        self._pay_common(old, s.urank, rest, paid, doubt, new)
        self.group[s.types] = new
        return record, lo, hi

    def _buy_exact(self, p):
        if p not in self.exact and self.exact_price(p) is None:  # pragma: no cover
            raise AssertionError(f"MES tried to buy project {p}, which it cannot afford")
        rho, plan = self.exact.pop(p)
        keys_of, keys, groups, ranks, rows, maybe_poor = plan
        s = self.data.supporters[p]
        prices = [rho * u for u in s.uvals]
        prices_f = np.array([float(x) for x in prices], dtype=np.float64)
        new = np.empty(len(keys), dtype=np.intp)
        # Groups worked out exactly: the poor pay all they have; the rest get an exact budget.
        for v, _u, _w, i in rows:
            price = prices[ranks[i]]
            if v <= price:
                new[i] = 0
            else:
                g = self.new_groups(1)
                self.known[g] = after = v - price
                self.budget_f[g] = f = float(after)
                self.err_f[g] = EPS * abs(f)
                new[i] = g
        # Groups known to be rich pay the price; their exact budgets wait until needed.
        rest = np.flatnonzero(~maybe_poor)
        self._pay_common(groups, ranks, rest, prices_f[ranks[rest]], 0.0, new)
        self._regroup(s, keys_of, keys, new)
        f = float(rho)
        return _Bought(p, exact=rho), f * (1 - 8 * EPS), f * (1 + 8 * EPS)

    def _pay_common(self, groups, ranks, rest, paid, doubt, new) -> None:
        """Entries ``rest`` (of ``groups``, with utility ``ranks``) pay ``paid`` (floats,
        within ``doubt`` of the exact payments) and move to new groups, whose exact budgets
        wait until needed.
        """
        if not len(rest):
            return
        if self.explain:
            # This run explains the outcome, summing the exact money of each unaffordable
            # project's supporters group by group: one new group per old group and utility.
            keys = groups[rest]
            if ranks is not None:
                keys = keys * (int(ranks.max()) + 1) + ranks[rest]
            _keys, firsts, inverse = np.unique(keys, return_index=True, return_inverse=True)
            rest_first = rest[firsts]
            if isinstance(paid, np.ndarray):
                paid = paid[firsts]
            if isinstance(doubt, np.ndarray):
                doubt = doubt[firsts]
        else:
            firsts, inverse, rest_first = None, None, rest
        count = len(rest_first)
        first = self.new_groups(count)
        end = first + count
        new[rest] = np.arange(first, end) if inverse is None else first + inverse
        old = groups[rest_first]
        self.parent[first:end] = old
        self.via[first:end] = len(self.bought)
        self.urank[first:end] = 0 if ranks is None else ranks[rest_first]
        after = self.budget_f[old] - paid
        self.budget_f[first:end] = after
        err = self.err_f[old] + doubt + 2 * EPS * (np.abs(after) + paid)
        self.err_f[first:end] = err
        self.err = max(self.err, float(err.max()))


def mes_run(data: MesData, per_voter, explain: bool = False):
    """One run of MES with ``per_voter`` (scaled money) for every voter.

    Returns the projects bought in order, their purchases (with prices), and details.
    """
    run = _Run(data, per_voter, explain)
    funded = []
    purchases = []
    while (best := run.top()) is not None:
        p, rho = best
        funded.append(p)
        purchases.append(run.buy(p, rho))
    return funded, purchases, {"short": run.short}


def mes_follow(data: MesData, per_voter, funded, purchases):
    """Run MES with ``per_voter``, first replaying ``funded`` (bought in ``purchases`` by
    a run with a smaller budget per voter) as long as the replay proves itself.

    Returns ``(certified, funded, purchases)`` of the run at ``per_voter``. ``certified``
    is True when every run between the two budgets buys exactly the same projects in the
    same order (see the module docstring).
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
        for q in run.contenders(before.hi):
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
    funded, _rhos, details = mes_run(data, per_voter, explain=True)
    details["per_voter"] = per_voter
    return list(data.free) + funded, details
