"""One run of Equal Shares on approval ballots, compiled with Numba, in floats whose every
decision is proven, or a plain "not sure".

Add1 needs the outcome of a run at every step of its grid until one overspends (on
Toulouse 2022, 1,619 runs of some 110 purchases each), or a proof that a range of steps
buys the same projects (a replay of an earlier run that proves itself). The exact engine
(``run``) spends most of such a run on the fixed cost of NumPy calls, so this module does
the same run in compiled loops over each project's supporting ballot types. It never
guesses: it answers with the projects bought, in order, only when every decision was
proven in floats; otherwise it says it is not sure and the exact engine counts that step.

Proof obligations:

* every ballot type's float budget ``b[t]`` is within ``err[t]`` of its exact budget, and
  every sum of n non-negative float terms within ``(n + 4) * EPS`` of its exact value
  (``EPS`` = 2**-52: each addition and product rounds by at most half of it);
* a project's exact water level ``pi`` (what each supporter pays unless they hold less)
  solves ``f(pi) = cost`` with ``f(x) = sum(weight * min(budget, x))``, which rises with x:
  so ``f(lo) < cost`` proves ``pi > lo`` and ``f(hi) >= cost`` proves ``pi <= hi``,
  each checked with budgets moved by their error and sums by their rounding;
* prices only rise as money is spent, so a price worked out before a purchase is still a
  lower bound after it (``stale`` prices stay in the search as lower bounds), and still
  exact if every supporter whose money changed surely holds at least its ``hi``;
* a project whose supporters all hold at least ``hi`` costs each exactly cost / voters,
  so its price per unit of cost is exactly 1 / voters: ties between such projects are
  decided on whole numbers, by the tie-break order;
* a supporter is charged only when floats prove on which side of ``pi`` they are: those
  below pay all they hold (left with exactly 0), the rest pay ``pi``, their error growing
  by the width of ``pi``'s interval and the rounding of the subtraction;
* a replay (Add1's certificate, see ``run.mes_follow``) keeps a purchase only when every
  project sharing a voter with it is proven dearer per unit of cost than the purchase
  was in the earlier run: a lower bound above the earlier upper bound, or both prices
  exactly 1 / their voters paying, compared in whole numbers with the tie-break order.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
from numba import config as numba_config
from numba import njit

# Numba keeps what it compiles beside the source if it may write there, else nowhere it
# can be sure of (the production image's code is read-only): a folder of the machine's
# temporary space, one per user, unless NUMBA_CACHE_DIR says otherwise.
if not numba_config.CACHE_DIR:  # type: ignore[attr-defined]
    numba_config.CACHE_DIR = os.path.join(  # type: ignore[attr-defined]
        tempfile.gettempdir(), f"neighbourhood-democracy-numba-{os.getuid()}"
    )

EPS = 2.0**-52
_UNAFFORDABLE, _PRICED, _UNSURE = 0, 1, 2


@njit(cache=True)
def gather_groups(p, ptr, types, w, group, acc, touched, gw):
    """p's supporters by group: how many groups, their numbers in ``touched`` and their
    voters in ``gw``. (``acc`` is all 0 before and after.)"""
    k = 0
    for i in range(ptr[p], ptr[p + 1]):
        h = group[types[i]]
        held = acc[h]
        # Without a branch (it would be mispredicted every few entries): h is kept only
        # if new, as every weight is positive.
        touched[k] = h
        k += 1 if held == 0.0 else 0
        acc[h] = held + w[i]
    for j in range(k):
        h = touched[j]
        gw[j] = acc[h]
        acc[h] = 0.0
    return k


@njit(cache=True)
def _gather(p, ptr, types, w, group, acc, touched, gv, gd, gw, budget, error):
    """p's supporters by group (voters with the same budget): how many groups, with each
    one's budget, error and voters in ``gv``, ``gd`` and ``gw``."""
    k = gather_groups(p, ptr, types, w, group, acc, touched, gw)
    for j in range(k):
        gv[j] = budget[touched[j]]
        gd[j] = error[touched[j]]
    return k


@njit(cache=True)
def _below(pi, k, gv, gd, gw):
    """Of k groups: the money and voters of those holding less than pi, how many such
    groups, and the error of every group that may pay all it holds at pi."""
    money = 0.0
    voters = 0.0
    poor = 0
    doubt = 0.0
    # Which side of pi a group is on changes from group to group with no pattern a
    # branch predictor could follow, so the sums take every term times the comparison
    # (1 or 0): the same floats, a few times faster.
    for j in range(k):
        v = gv[j]
        below = v < pi
        money += gw[j] * v * below
        voters += gw[j] * below
        poor += below
        doubt += gw[j] * gd[j] * ((v - gd[j]) * (1 - 4 * EPS) < pi * (1 + 1e-9))
    return money, voters, poor, doubt


@njit(cache=True)
def _price(c, n, k, gv, gd, gw, out):
    """Price a project of cost c with n supporters in k groups (``gv``, ``gd``, ``gw``):
    ``out`` gets pi and an interval (lo, hi] holding the exact pi, and how many supporters
    pay pi if that is exactly cost / their number (when every supporter is proven to hold
    at least hi, or exactly nothing), else 0. Water-filling starts from the lo already in
    ``out``, if any: a proven lower bound, as prices only rise."""
    g = (k + 4) * EPS
    pi = max(c / n, out[1])
    # The money held, raised and lowered by its error: is p surely (un)affordable?
    total_high = 0.0
    total_low = 0.0
    for j in range(k):
        total_high += gw[j] * ((gv[j] + gd[j]) * (1 + 4 * EPS))
        total_low += gw[j] * max((gv[j] - gd[j]) * (1 - 4 * EPS), 0.0)
    if total_high * (1 + g) < c:
        return _UNAFFORDABLE
    if total_low * (1 - g) < c:
        return _UNSURE
    # Water-filling: raise pi until the same supporters hold less than it twice running.
    poor_money, poor_voters, poor, doubt = _below(pi, k, gv, gd, gw)
    if poor == 0:
        pi = c / n  # nobody holds less than the start, so nobody holds less than c / n
    for _ in range(k + 1):
        if poor == 0:
            break
        if poor_voters >= n:
            return _UNSURE
        pi = (c - poor_money) / (n - poor_voters)
        before = poor
        poor_money, poor_voters, poor, doubt = _below(pi, k, gv, gd, gw)
        if poor == before:
            break
    if poor_voters >= n:
        return _UNSURE
    margin = 2 * (doubt + 4 * g * c) / (n - poor_voters) + 8 * EPS * pi
    for _ in range(2):
        lo, hi = pi - margin, pi + margin
        at_lo = 0.0  # f(lo) with budgets raised by their error: below cost proves lo < pi
        at_hi = 0.0  # f(hi) with budgets lowered by it: at least cost proves pi <= hi
        paying = 0.0
        exact = True
        for j in range(k):
            v = gv[j]
            d = gd[j]
            at_lo += gw[j] * min((v + d) * (1 + 4 * EPS), lo)
            down = (v - d) * (1 - 4 * EPS)
            # Without branches, as in ``_below``: a term times 0 adds exactly nothing.
            at_hi += gw[j] * min(down, hi) * (down > 0)
            pays = down >= hi
            paying += gw[j] * pays
            exact &= pays or (v == 0.0 and d == 0.0)
        if at_lo * (1 + g) < c and at_hi * (1 - g) >= c:
            out[0] = pi
            out[1] = lo
            out[2] = hi
            out[3] = paying if exact else 0.0
            return _PRICED
        margin *= 64
    return _UNSURE


@njit(cache=True)
def _reprice(q, ptr, types, w, group, acc, touched, g):
    """Price q afresh from its supporters' groups; returns _PRICED, _UNAFFORDABLE (then
    q is dropped: money only goes down, so it stays unaffordable) or _UNSURE."""
    gv, gd, gw, budget, error, state = g
    cost, voters, found, low, fresh, alive = state
    k = _gather(q, ptr, types, w, group, acc, touched, gv, gd, gw, budget, error)
    status = _price(cost[q], voters[q], k, gv, gd, gw, found[q])
    if status == _UNAFFORDABLE:
        alive[q] = False
    elif status == _PRICED:
        fresh[q] = True
        low[q] = found[q, 1] / cost[q] * (1 - 2 * EPS)
    return status


@njit(cache=True)
def _choose(rank, ptr, types, w, group, acc, touched, g):
    """The project Equal Shares buys next, -1 if none is affordable, -2 if not sure."""
    cost, _voters, found, low, fresh, alive = g[5]
    m = len(cost)
    while True:
        best = -1
        for p in range(m):
            if alive[p] and (
                best < 0 or low[p] < low[best] or (low[p] == low[best] and rank[p] < rank[best])
            ):
                best = p
        if best < 0:
            return -1
        # Reprice best if its price is only a lower bound, else every rival whose lower
        # bound is not above best's upper one; then look again.
        ceiling = found[best, 2] / cost[best] * (1 + 2 * EPS)
        repriced = False
        for q in range(m):
            if alive[q] and not fresh[q] and (q == best or (fresh[best] and low[q] <= ceiling)):
                if _reprice(q, ptr, types, w, group, acc, touched, g) == _UNSURE:
                    return -2
                repriced = True
        if repriced:
            continue
        # Rivals whose price may be as low as best's: decided exactly when every one of
        # them (and best) costs each supporter the same, else not sure.
        winner = best
        for q in range(m):
            if alive[q] and q != best and low[q] <= ceiling:
                if found[best, 3] == 0.0 or found[q, 3] == 0.0:
                    return -2
                if found[q, 3] > found[winner, 3] or (
                    found[q, 3] == found[winner, 3] and rank[q] < rank[winner]
                ):
                    winner = q
        return winner


@njit(cache=True)
def _replayed(p, before, near, all_near, rank, ptr, types, w, group, acc, touched, g):
    """Whether buying p next, as the earlier run did at its price ``before``, is proven:
    every project sharing a voter with p is dearer now than p was then (or as dear and
    behind p in the tie-break order). Returns 1 if so, 0 if not proven, -1 if not sure."""
    cost, _voters, found, low, fresh, alive = g[5]
    # With more money p stays affordable: if floats cannot tell, they are not sure.
    if not alive[p]:
        return -1
    if not fresh[p] and _reprice(p, ptr, types, w, group, acc, touched, g) != _PRICED:
        return -1
    for q in range(len(cost)):
        if q == p or not alive[q] or not (all_near or near[p, q]):
            continue
        if low[q] > before[1]:
            continue  # even a stale lower bound is enough
        if not fresh[q]:
            status = _reprice(q, ptr, types, w, group, acc, touched, g)
            if status == _UNSURE:
                return -1
            if status == _UNAFFORDABLE or low[q] > before[1]:
                continue
        # Both prices exactly 1 / their voters paying: decided in whole numbers.
        if before[2] == 0.0 or found[q, 3] == 0.0:
            return 0
        if found[q, 3] > before[2] or (found[q, 3] == before[2] and rank[q] < rank[p]):
            return 0
    return 1


@njit(cache=True)
def run(ptr, types, w, cost, voters, rank, per_voter, start_err, bought, scratch, follow):
    """One run of Equal Shares with ``per_voter`` for everyone (within ``start_err``),
    first replaying an earlier run's purchases as long as the replay proves itself.

    Writes the projects bought, in order, into ``bought`` and returns how many, or -1 if
    some decision could not be proven in floats. ``follow`` holds the replay:

    * ``replay[:replay_n]``: the purchases of a run with less money per voter, in order,
      and ``before``, a row for each: bounds (lo, hi) on its price per unit of cost then,
      and how many voters paid if that price was exactly 1 / their number (else 0);
    * ``near[p, q]``: whether p and q share a supporter (unless ``all_near``);
    * ``prices``: a row for each purchase of this run, as in ``before``;
    * ``flags[0]``: set to 1 if the replay is certified (as ``run.mes_follow``'s replay
      certificate): no project sharing a voter with a replayed purchase was proven no
      dearer than that purchase was before, and nothing else was bought after them.
    """
    replay, replay_n, before, near, all_near, prices, flags = follow
    m = len(cost)
    # Voters with the same budget share a group: group 0 holds exactly nothing, group 1
    # everyone's starting budget; a purchase moves each group of its supporters to a new
    # one, so there are never more than two groups plus one per supporting ballot type.
    # ``scratch`` holds the arrays for that, kept between runs: ``moved`` (old group to
    # new, during a purchase) is all -1 and ``acc`` all 0 between two uses.
    group, budget, error, moved, acc, touched, gv, gd, gw = scratch
    group[:] = 1
    budget[1] = per_voter
    error[1] = start_err
    groups = 2
    found = np.zeros((m, 4))  # pi, lo, hi, voters paying pi if exactly cost / voters
    low = np.zeros(m)  # a lower bound on each project's price per unit of cost
    fresh = np.zeros(m, dtype=np.bool_)  # priced since the last purchase
    alive = np.ones(m, dtype=np.bool_)
    state = (cost, voters, found, low, fresh, alive)
    # While everyone holds per_voter, a project everyone can pay an equal share of costs
    # each supporter exactly cost / voters.
    for p in range(m):
        share = cost[p] / voters[p]
        if (per_voter + start_err) * (1 + 4 * EPS) * voters[p] * (1 + 4 * EPS) < cost[p]:
            alive[p] = False
        elif (per_voter - start_err) * (1 - 4 * EPS) >= share * (1 + 4 * EPS):
            found[p, 0] = share
            found[p, 1] = share * (1 - 4 * EPS)
            found[p, 2] = share * (1 + 4 * EPS)
            found[p, 3] = voters[p]
            low[p] = found[p, 1] / cost[p] * (1 - 2 * EPS)
            fresh[p] = True
    count = 0
    flags[0] = 1
    replayed = 0
    while True:
        g = (gv, gd, gw, budget, error, state)
        winner = -1
        if replayed < replay_n:
            p = replay[replayed]
            proof = _replayed(
                p, before[replayed], near, all_near, rank, ptr, types, w, group, acc, touched, g
            )
            if proof < 0:
                return -1
            if proof == 1:
                winner = p
                replayed += 1
            else:
                flags[0] = 0  # not proven: carry on as a plain run
                replayed = replay_n
        if winner < 0:
            winner = _choose(rank, ptr, types, w, group, acc, touched, g)
            if winner == -2:
                return -1
            if winner == -1:
                return count
            flags[0] = 0  # bought what the replay did not
        pi, lo, hi = found[winner, 0], found[winner, 1], found[winner, 2]
        prices[count, 0] = lo / cost[winner] * (1 - 2 * EPS)
        prices[count, 1] = hi / cost[winner] * (1 + 2 * EPS)
        prices[count, 2] = found[winner, 3]
        lowest = np.inf
        olds = 0
        for i in range(ptr[winner], ptr[winner + 1]):
            t = types[i]
            old = group[t]
            if moved[old] < 0:
                touched[olds] = old
                olds += 1
                v, d = budget[old], error[old]
                if v == 0.0 and d == 0.0:
                    moved[old] = 0  # held exactly nothing, and still does: no change
                elif (v + d) * (1 + 4 * EPS) < lo:
                    moved[old] = 0  # pays all it holds: exactly nothing left
                    lowest = 0.0
                else:
                    new = moved[old] = groups
                    groups += 1
                    if (v - d) * (1 - 4 * EPS) >= hi:
                        budget[new] = v - pi
                        error[new] = d + (hi - lo) + 2 * EPS * (v + pi)
                    else:
                        # Within pi's interval: pays all it holds or pi, which leaves it
                        # between 0 and what it holds above lo.
                        budget[new] = 0.0
                        error[new] = (v + d) * (1 + 4 * EPS) - lo
                    lowest = min(lowest, (budget[new] - error[new]) * (1 - 4 * EPS))
            group[t] = moved[old]
        for j in range(olds):
            moved[touched[j]] = -1
        bought[count] = winner
        count += 1
        alive[winner] = False
        # A price proven before this purchase still holds if every supporter whose money
        # changed still surely holds at least its hi: they held more before, so min(budget,
        # x) is the same for them at every x up to hi, and so is the sum whose root the
        # price is (in exact terms; no float sum is reused). Else it is a lower bound.
        # (A project sharing no voter with the purchase keeps its price.)
        for q in range(m):
            if fresh[q] and not lowest >= found[q, 2] and (all_near or near[winner, q]):
                fresh[q] = False


class Followed:
    """A run of the compiled count: the projects it bought, in order (as positions in
    ``CompiledData.projects``), each with its row of prices (see ``run``)."""

    __slots__ = ("certified", "funded", "order", "prices")

    def __init__(self, funded: list[int], order, prices, certified: bool):
        self.funded, self.order, self.prices = funded, order, prices
        self.certified = certified


class CompiledData:
    """What the compiled run needs, built once per election: each candidate's supporting
    ballot types as one flat array (``ptr[p]:ptr[p + 1]``), with their voters."""

    def __init__(self, data):
        candidates = data.candidates
        m = len(candidates)
        self.projects = np.asarray(candidates, dtype=np.int64)
        self.position = {p: i for i, p in enumerate(candidates)}
        supporters = [data.supporters[p] for p in candidates]
        sizes = [s.n for s in supporters]
        self.ptr = np.zeros(m + 1, dtype=np.int64)
        np.cumsum(sizes, out=self.ptr[1:])
        if supporters:
            self.types = np.concatenate([s.types for s in supporters]).astype(np.int64)
            self.w = np.concatenate([s.w for s in supporters])
        else:
            self.types = np.zeros(0, dtype=np.int64)
            self.w = np.zeros(0)
        self.cost = np.array([s.cost_f for s in supporters])
        self.voters = np.array([float(s.voters) for s in supporters])
        self.rank = np.array([data.prep.rank[p] for p in candidates], dtype=np.int64)
        self.bought = np.zeros(m, dtype=np.int64)
        size = len(self.types) + 2
        most = int(max(sizes, default=0))
        self.scratch = (
            np.ones(data.num_types, dtype=np.int64),  # each ballot type's group
            np.zeros(size),  # each group's budget
            np.zeros(size),  # and its error
            np.full(size, -1, dtype=np.int64),
            np.zeros(size),
            np.zeros(most, dtype=np.int64),
            np.zeros(most),
            np.zeros(most),
            np.zeros(most),
        )
        # Which candidates share a supporter, when the election says so cheaply (and the
        # table is small); else every pair is taken to (more checks, never fewer).
        self.all_near = data.incidence is None or m > 4000
        self.near = np.ones((1, 1), dtype=np.bool_)
        if not self.all_near:
            self.near = np.zeros((m, m), dtype=np.bool_)
            for i, p in enumerate(candidates):
                shared = data.neighbours_of(p)
                self.near[i, [self.position[q] for q in shared if q in self.position]] = True
        self.prices = np.zeros((m, 3))
        self.flags = np.zeros(1, dtype=np.int64)

    def _count(self, per_voter, replay, before) -> int:
        x = float(per_voter)
        exact = x == per_voter and abs(x) < 2**53
        follow = (replay, len(replay), before, self.near, self.all_near, self.prices, self.flags)
        return run(
            self.ptr,
            self.types,
            self.w,
            self.cost,
            self.voters,
            self.rank,
            x,
            0.0 if exact else EPS * abs(x),
            self.bought,
            self.scratch,
            follow,
        )

    def positions(self, funded) -> np.ndarray:
        """Projects (as the election numbers them) as positions in ``projects``."""
        return np.array([self.position[p] for p in funded], dtype=np.int64)

    def follow(self, per_voter, earlier) -> Followed | None:
        """The run at ``per_voter`` after replaying ``earlier`` (a run with less money per
        voter: a ``Followed``, or an exact run's ``(funded, purchases)``; ``([], [])`` for a
        plain run), or None when floats could not prove it. ``certified`` says whether
        every run between the two budgets buys the same set of projects."""
        if isinstance(earlier, Followed):
            replay, before = earlier.order, earlier.prices
        else:
            funded, purchases = earlier
            replay = self.positions(funded)
            before = np.array(
                [(b.lo * (1 - 4 * EPS), b.hi * (1 + 4 * EPS), 0.0) for b in purchases]
            ).reshape(-1, 3)
        count = self._count(per_voter, replay, before)
        if count < 0:
            return None
        order = self.bought[:count].copy()
        funded = self.projects[order].tolist()
        return Followed(funded, order, self.prices[:count].copy(), bool(self.flags[0]))


def warm_up() -> None:
    """Load (or, the first time on a machine, compile) the compiled run and the interval
    certificate: what the first long Add1 search in a process otherwise pays, seconds on a
    slow machine."""
    from .interval import warm_up as warm_up_interval

    warm_up_interval()
    one = np.ones(1)
    whole = np.zeros(1, dtype=np.int64)
    scratch = (
        *(np.ones(1, dtype=np.int64), np.zeros(3), np.zeros(3), np.full(3, -1, dtype=np.int64)),
        *(np.zeros(3), np.zeros(1, dtype=np.int64), np.zeros(1), np.zeros(1), np.zeros(1)),
    )
    near = np.ones((1, 1), dtype=np.bool_)
    rows = np.zeros((1, 3))
    follow = (whole, 1, rows, near, False, rows.copy(), np.zeros(1, dtype=np.int64))
    ptr = np.array([0, 1], dtype=np.int64)
    run(ptr, whole, one, one, one, whole, 2.0, 0.0, whole, scratch, follow)
