"""Add1's interval certificate: one replay of a run's purchases, compiled with Numba, that
holds for every budget per voter in an interval at once.

The replay certificate of ``run.mes_follow`` compares prices at two budgets: a rival's
price at the higher one against the bought project's price at the lower one. Where two
projects bought one after the other cost nearly the same per unit of cost (Budapest 2024:
within a few hundred parts per million), that proves only a few steps at a time, though
their order holds for dozens. This certificate follows how each price moves with the
budget instead: with ``b = mid + half * e`` (``e`` from -1 to 1), every quantity of the
replay is held between two affine functions of ``e``.

Proof obligations:

* each group of voters (as in ``compiled``) holds, at every ``e``, at least its lower
  bound ``L0 + L1 * e`` and at most its upper bound ``U0 + U1 * e``; float rounding is
  covered by slack of ``(k + 16) * EPS`` times the sizes summed (each term is a few
  operations on numbers no bigger than those counted);
* in the replay every voter holds at least as much with more money per voter (see
  ``run.mes_follow``), so a project its supporters cannot afford at ``e = 1`` they cannot
  afford at any ``e``, and is dropped;
* ``f(x) = sum(weight * min(budget, x))`` rises with ``x`` and a project's price ``pi``
  solves ``f(pi) = cost``: so ``pi(e) > x(e)`` for an affine ``x`` if an upper bound of
  ``f(e, x(e))`` is below cost at every ``e``. For each group that bound is its upper
  bound or ``x`` (each at least the ``min``): affine in ``e``, so checking ``e = -1`` and
  ``e = 1`` proves every ``e`` between;
* ``pi(e) <= y(e)`` if ``sum(weight * min(lower bound, y))`` reaches cost: a sum of
  minimums of affine functions, so concave in ``e`` and at least its chord: checking both
  ends proves every ``e`` between;
* a supporter surely holding less than ``pi`` at both ends (both sides affine) pays all it
  holds and is left with exactly 0; one surely holding more pays ``pi``, left with between
  ``lower - y`` and ``upper - x``; any other is left with ``max(budget - pi, 0)``: at least
  ``lower - y``, or 0, and at most ``max(upper - x, 0)``, convex so below its chord;
* the replay's own obligations are those of ``run.mes_follow`` at each ``e``: the bought
  project ``p`` is cheaper per unit of cost than every remaining project sharing a voter
  with it (the rival's lower bound above ``p``'s upper bound: affine, so where both ends
  hold every ``e`` between does, else up to the root), or both cost exactly 1 / their
  voters paying and whole numbers and the tie-break order decide, or the rival cannot be
  afforded (an affine upper bound on its supporters' money below its cost: worked out
  before, it still holds, as money only falls); and at the end nothing else is
  affordable (the same bound).

``certify`` answers how far up the interval all of that holds, as ``e``: every budget from
``mid - half`` to ``mid + half * e`` buys the replayed set (-1 if none above the first).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .compiled import EPS, gather_groups

_DEAD, _PRICED = 0, 1
# The first margin tried around a price's chord (relative), and how many tries in all.
_FIRST_RADIUS, _TRIES = 1e-12, 8


@njit(cache=True)
def _gather(q, ptr, types, w, group, acc, touched, forms, gf, gw):
    """q's supporters by group: how many groups, with each one's bounds and voters."""
    k = gather_groups(q, ptr, types, w, group, acc, touched, gw)
    for j in range(k):
        h = touched[j]
        gf[j, 0] = forms[h, 0]
        gf[j, 1] = forms[h, 1]
        gf[j, 2] = forms[h, 2]
        gf[j, 3] = forms[h, 3]
    return k


@njit(cache=True, inline="always")
def _filled(c, n, level, done, poor, money, voters, count):
    """One step of water-filling at one end, from the money and voters of the ``count``
    groups below ``level``: the next level, whether it has settled (the same groups below
    it twice running), and how many groups were below."""
    if done:
        return level, True, poor
    if voters >= n:
        return np.inf, True, poor
    return (c - money) / (n - voters), count == poor, count


@njit(cache=True)
def _levels(c, n, k, gf, gw, start_low, start_top, both):
    """The water levels with every group midway between its bounds at e = 1 and (if
    ``both``) at e = -1: guesses, not bounds; inf where that money does not reach c.
    Water-filling rises to each from c / n, or from its start if higher: a level worked
    out before a purchase, which only lowers the money, so only raises the level (taken a
    hair lower, to stay below it in floats). Both ends share each pass over the groups."""
    low = max(c / n, start_low * (1 - 1e-12))
    top = max(c / n, start_top * (1 - 1e-12))
    poor_low = poor_top = -1
    low_done, top_done = not both, False
    for _ in range(k + 2):
        money_low = voters_low = money_top = voters_top = 0.0
        count_low = count_top = 0
        # Without branches (which side of a level a group is on has no pattern to
        # predict): each term times its comparison, 1 or 0, adds the same floats.
        for j in range(k):
            middle, spread = gf[j, 0] + gf[j, 2], gf[j, 1] + gf[j, 3]
            v = (middle - spread) * 0.5
            below = v < low
            money_low += gw[j] * max(v, 0.0) * below
            voters_low += gw[j] * below
            count_low += below
            v = (middle + spread) * 0.5
            below = v < top
            money_top += gw[j] * max(v, 0.0) * below
            voters_top += gw[j] * below
            count_top += below
        low, low_done, poor_low = _filled(
            c, n, low, low_done, poor_low, money_low, voters_low, count_low
        )
        top, top_done, poor_top = _filled(
            c, n, top, top_done, poor_top, money_top, voters_top, count_top
        )
        if low_done and top_done:
            break
    return low, top


@njit(cache=True)
def _sizes(k, gf, gw):
    """The sizes of k groups' bounds summed, and their voters: ``_slack`` from them."""
    total = 0.0
    voters = 0.0
    for j in range(k):
        total += gw[j] * (abs(gf[j, 0]) + abs(gf[j, 1]) + abs(gf[j, 2]) + abs(gf[j, 3]))
        voters += gw[j]
    return total, voters


@njit(cache=True)
def _slack(k, sizes, x0, x1):
    """Slack for float rounding in a sum over k groups of terms made from their bounds
    and the affine x (``sizes`` from ``_sizes``). Working it out from sums rounds it by a
    few parts in 2**52 of itself: far less than the 16 * EPS of the sizes it allows over
    the k * EPS needed."""
    total, voters = sizes
    return (total + voters * (abs(x0) + abs(x1))) * (k + 16) * EPS


@njit(cache=True)
def _most_held(k, gf, gw, slack):
    """The most k groups hold at e = -1 and at e = 1 (their upper bounds summed, plus the
    slack for rounding): affine in e between."""
    early = 0.0
    late = 0.0
    for j in range(k):
        early += gw[j] * (gf[j, 2] - gf[j, 3])
        late += gw[j] * (gf[j, 2] + gf[j, 3])
    return early + slack, late + slack


@njit(cache=True)
def _below(c, k, gf, gw, sizes, xm, xp):
    """For the affine x with x(-1) = xm and x(1) = xp, an upper bound of f(e, x(e)) at
    e = -1 and e = 1, each less c, and how fast each rises with x at its end. For each
    group the bound takes its upper bound or x, whichever is less at e = -1 (either is at
    least the min at every e): affine in e, so below c at both ends proves the price above
    x at every e."""
    tm = 0.0
    tp = 0.0
    rate = 0.0
    for j in range(k):
        um, up = gf[j, 2] - gf[j, 3], gf[j, 2] + gf[j, 3]
        own = um <= xm  # its own bound, else x: chosen without a branch, as in _levels
        tm += gw[j] * (um if own else xm)
        tp += gw[j] * (up if own else xp)
        rate += gw[j] * (not own)
    slack = _slack(k, sizes, (xm + xp) * 0.5, (xp - xm) * 0.5)
    return tm + slack - c, rate, tp + slack - c, rate


@njit(cache=True)
def _above(c, k, gf, gw, sizes, ym, yp):
    """For the affine y with y(-1) = ym and y(1) = yp, a lower bound of f(e, y(e)) at
    e = -1 and e = 1 (the bound is concave in e, so at least its chord: reaching c at both
    ends proves the price at most y at every e), each less c, and how fast each rises."""
    tm = 0.0
    tp = 0.0
    wm = 0.0
    wp = 0.0
    for j in range(k):
        lm, lp = gf[j, 0] - gf[j, 1], gf[j, 0] + gf[j, 1]
        own = lm < ym
        tm += gw[j] * (lm if own else ym)
        wm += gw[j] * (not own)
        own = lp < yp
        tp += gw[j] * (lp if own else yp)
        wp += gw[j] * (not own)
    slack = _slack(k, sizes, (ym + yp) * 0.5, (yp - ym) * 0.5)
    return tm - slack - c, wm, tp - slack - c, wp


@njit(cache=True)
def _bound(c, k, gf, gw, sizes, lm, lp, side, bounds, q, col):
    """An affine bound on the price proven at every e: below it (side -1) or above it
    (side 1), starting from the guesses lm and lp at e = -1 and e = 1 and moving each end
    by Newton's method on its shortfall. Writes (b0, b1) into row q of ``bounds``, at
    columns col and col + 1; False if none."""
    scale = _FIRST_RADIUS * (abs(lm) + abs(lp))
    xm, xp = lm - side * scale, lp - side * scale
    for _ in range(_TRIES):
        if side < 0:
            over_m, rate_m, over_p, rate_p = _below(c, k, gf, gw, sizes, xm, xp)
            if over_m < 0.0 and over_p < 0.0:
                bounds[q, col] = (xm + xp) * 0.5
                bounds[q, col + 1] = (xp - xm) * 0.5
                return True
            if over_m >= 0.0:
                if rate_m <= 0.0:
                    return False
                xm -= over_m / rate_m * (1 + 1e-6) + scale
            if over_p >= 0.0:
                if rate_p <= 0.0:
                    return False
                xp -= over_p / rate_p * (1 + 1e-6) + scale
        else:
            short_m, rate_m, short_p, rate_p = _above(c, k, gf, gw, sizes, xm, xp)
            if short_m >= 0.0 and short_p >= 0.0:
                bounds[q, col] = (xm + xp) * 0.5
                bounds[q, col + 1] = (xp - xm) * 0.5
                return True
            if short_m < 0.0:
                if rate_m <= 0.0:
                    return False
                xm += -short_m / rate_m * (1 + 1e-6) + scale
            if short_p < 0.0:
                if rate_p <= 0.0:
                    return False
                xp += -short_p / rate_p * (1 + 1e-6) + scale
    return False


@njit(cache=True, inline="always")
def _is_zero(rows, j):
    """Whether row j's bounds hold exactly nothing at every e."""
    return rows[j, 0] == 0.0 and rows[j, 1] == 0.0 and rows[j, 2] == 0.0 and rows[j, 3] == 0.0


@njit(cache=True)
def _price(c, n, k, gf, gw, bounds, q):
    """Bound project q's price over the interval: row q of ``bounds`` gets a lower affine
    bound (x0, x1), an upper one (y0, y1) if it is affordable at every e (else column 5 is
    0), in column 4 the voters paying if the price is exactly c / them at every e, and in
    columns 6 and 7 the most money its supporters hold at e = -1 and e = 1. Columns 8 and
    9 keep its guesses of the level at each end (``_levels``), the start for the next."""
    sizes = _sizes(k, gf, gw)
    slack = _slack(k, sizes, 0.0, 0.0)
    bounds[q, 6], bounds[q, 7] = _most_held(k, gf, gw, slack)
    if bounds[q, 7] < c:
        return _DEAD  # unaffordable even with the most money: so at every e
    bottom = 0.0
    zero = 0.0
    for j in range(k):
        bottom += gw[j] * max(gf[j, 0] - gf[j, 1], 0.0)
        if _is_zero(gf, j):
            zero += gw[j]
    affordable = bottom - slack >= c
    bounds[q, 4] = 0.0
    bounds[q, 5] = 0.0
    if affordable and zero < n:
        # Everyone holding something surely holds its equal share at every e: exact.
        share = c / (n - zero)
        rich = True
        for j in range(k):
            if not _is_zero(gf, j):
                least = min(gf[j, 0] - gf[j, 1], gf[j, 0] + gf[j, 1])
                if least * (1 - 8 * EPS) < share * (1 + 8 * EPS):
                    rich = False
                    break
        if rich:
            bounds[q, 0] = share * (1 - 8 * EPS)
            bounds[q, 1] = 0.0
            bounds[q, 2] = share * (1 + 8 * EPS)
            bounds[q, 3] = 0.0
            bounds[q, 4] = n - zero
            bounds[q, 5] = 1.0
            return _PRICED
    # Every supporter pays at most pi, so n * pi >= c: the bound when nothing better is.
    bounds[q, 0] = c / n * (1 - 8 * EPS)
    bounds[q, 1] = 0.0
    low_level, top_level = _levels(c, n, k, gf, gw, bounds[q, 8], bounds[q, 9], affordable)
    if top_level == np.inf:
        return _PRICED
    bounds[q, 9] = top_level
    if not affordable or low_level == np.inf:
        low_level = top_level
    else:
        bounds[q, 8] = low_level
    # Else prices fall as money rises: the price at the top end bounds every other.
    if not _bound(c, k, gf, gw, sizes, low_level, top_level, -1.0, bounds, q, 0) and not _bound(
        c, k, gf, gw, sizes, top_level, top_level, -1.0, bounds, q, 0
    ):
        bounds[q, 0] = c / n * (1 - 8 * EPS)
        bounds[q, 1] = 0.0
    if affordable and _bound(c, k, gf, gw, sizes, low_level, top_level, 1.0, bounds, q, 2):
        bounds[q, 5] = 1.0
    return _PRICED


@njit(cache=True)
def _reprice(q, ptr, types, w, group, acc, touched, forms, gf, gw, state):
    """Bound q's price afresh; True if it cannot be afforded (then it is dropped)."""
    cost, voters, bounds, fresh, alive = state
    k = _gather(q, ptr, types, w, group, acc, touched, forms, gf, gw)
    if _price(cost[q], voters[q], k, gf, gw, bounds, q) == _DEAD:
        alive[q] = False
        return True
    fresh[q] = True
    return False


@njit(cache=True, inline="always")
def _holds(q, p, state, rank):
    """Up to which e the rival q is proven dearer than p per unit of cost (-1: nowhere
    above the start; 1: everywhere)."""
    cost, _voters, bounds, fresh, _alive = state
    if fresh[q] and bounds[q, 4] > 0.0 and bounds[p, 4] > 0.0:
        # Both exactly 1 / their voters paying: whole numbers and the tie-break decide.
        if bounds[q, 4] < bounds[p, 4] or (bounds[q, 4] == bounds[p, 4] and rank[q] > rank[p]):
            return 1.0
        return _short(q, state)
    cp, cq = cost[p], cost[q]
    x0, x1, y0, y1 = bounds[q, 0], bounds[q, 1], bounds[p, 2], bounds[p, 3]
    slack = 8 * EPS * (cp * (abs(x0) + abs(x1)) + cq * (abs(y0) + abs(y1)))
    at_start = cp * (x0 - x1) - cq * (y0 - y1) - slack
    at_end = cp * (x0 + x1) - cq * (y0 + y1) - slack
    return max(_reach(at_start, at_end), _short(q, state))


@njit(cache=True, inline="always")
def _overtakes(q, p, state):
    """From which e the rival q is surely cheaper than p per unit of cost, as far as q's
    fresh upper bound and p's lower bound tell (1: not within the interval). A guide for
    where to look next, never a proof: nothing is skipped on its word."""
    cost, _voters, bounds, fresh, _alive = state
    if not fresh[q] or bounds[q, 5] == 0.0 or bounds[q, 4] > 0.0:
        return 1.0
    cp, cq = cost[p], cost[q]
    at_start = cp * (bounds[q, 2] - bounds[q, 3]) - cq * (bounds[p, 0] - bounds[p, 1])
    at_end = cp * (bounds[q, 2] + bounds[q, 3]) - cq * (bounds[p, 0] + bounds[p, 1])
    return _reach(at_start, at_end)


@njit(cache=True, inline="always")
def _short(q, state):
    """Up to which e q's supporters are proven not to hold its cost. The most they hold
    is affine in e and only falls as money is spent, so a bound worked out before still
    holds; and a rival nobody can afford is never bought before p."""
    cost, _voters, bounds, _fresh, _alive = state
    return _reach(cost[q] - bounds[q, 6], cost[q] - bounds[q, 7])


@njit(cache=True, inline="always")
def _reach(at_start, at_end):
    """Up to which e an affine function, at_start at e = -1 and at_end at e = 1, is
    positive (-1: nowhere above the start; 1: everywhere)."""
    if not at_start > 0.0:
        return -1.0
    if at_end > 0.0:
        return 1.0
    return -1.0 + 2.0 * at_start / (at_start - at_end) * (1 - 1e-9)


@njit(cache=True)
def _pay(p, ptr, types, w, group, forms, moved, touched, groups, x0, x1, y0, y1):
    """Charge p's supporters (price between x and y at every e); returns the number of
    groups after, and the least any supporter whose money changed surely holds."""
    lowest = np.inf
    olds = 0
    xm, xp, ym, yp = x0 - x1, x0 + x1, y0 - y1, y0 + y1
    for i in range(ptr[p], ptr[p + 1]):
        t = types[i]
        old = group[t]
        if moved[old] < 0:
            touched[olds] = old
            olds += 1
            f0, f1, f2, f3 = forms[old, 0], forms[old, 1], forms[old, 2], forms[old, 3]
            lm, lp, um, up = f0 - f1, f0 + f1, f2 - f3, f2 + f3
            size = 16 * EPS * (abs(f0) + abs(f1) + abs(f2) + abs(f3))
            size += 16 * EPS * (abs(x0) + abs(x1) + abs(y0) + abs(y1))
            if _is_zero(forms, old):
                moved[old] = 0  # held exactly nothing, and still does
            elif um + size < xm and up + size < xp:
                moved[old] = 0  # pays all it holds at every e: exactly nothing left
                lowest = 0.0
            else:
                new = moved[old] = groups
                groups += 1
                if lm - size >= ym and lp - size >= yp:
                    # Pays pi at every e: holds between (lower - y) and (upper - x).
                    g0, g1, g2, g3 = f0 - y0, f1 - y1, f2 - x0, f3 - x1
                else:
                    # max(budget - pi, 0): at least (lower - y) where that is positive at
                    # the start, else 0; at most max(upper - x, 0), convex so below its
                    # chord.
                    if lm - ym > 0.0:
                        g0, g1 = f0 - y0, f1 - y1
                    else:
                        g0, g1 = 0.0, 0.0
                    top_m, top_p = max(um - xm, 0.0), max(up - xp, 0.0)
                    g2, g3 = (top_m + top_p) * 0.5, (top_p - top_m) * 0.5
                forms[new, 0] = g0 - size
                forms[new, 1] = g1
                forms[new, 2] = g2 + size
                forms[new, 3] = g3
                lowest = min(lowest, forms[new, 0] - abs(g1))
        group[t] = moved[old]
    for j in range(olds):
        moved[touched[j]] = -1
    return groups, lowest


@njit(cache=True)
def certify(ptr, types, w, cost, voters, rank, order, mid, half, err, near, all_near, scratch):
    """How far up ``[mid - half, mid + half]`` (as e) replaying ``order`` is proven to buy
    exactly ``order``'s set at every budget per voter (see the module docstring), and from
    where some rival surely overtakes a purchase (a guide only: 1 if none found)."""
    group, forms, moved, acc, touched, gf, gw = scratch
    m = len(cost)
    group[:] = 1
    forms[0, :] = 0.0
    forms[1, 0] = mid - err
    forms[1, 1] = half
    forms[1, 2] = mid + err
    forms[1, 3] = half
    groups = 2
    bounds = np.zeros((m, 10))
    fresh = np.zeros(m, dtype=np.bool_)
    alive = np.ones(m, dtype=np.bool_)
    state = (cost, voters, bounds, fresh, alive)
    # Everyone starts in group 1: each project's supporters are one group.
    for q in range(m):
        for i in range(4):
            gf[0, i] = forms[1, i]
        gw[0] = voters[q]
        if _price(cost[q], voters[q], 1, gf, gw, bounds, q) == _DEAD:
            alive[q] = False
        else:
            fresh[q] = True
    reach = 1.0
    changed = 1.0
    for t in range(len(order)):
        p = order[t]
        if not alive[p]:
            return -1.0, changed
        if not fresh[p] and _reprice(p, ptr, types, w, group, acc, touched, forms, gf, gw, state):
            return -1.0, changed  # p cannot be afforded at the top: floats cannot tell
        if bounds[p, 5] == 0.0:
            return -1.0, changed
        for q in range(m):
            if q == p or not alive[q] or not (all_near or near[p, q]):
                continue
            holds = _holds(q, p, state, rank)
            if holds < reach and not fresh[q]:
                if _reprice(q, ptr, types, w, group, acc, touched, forms, gf, gw, state):
                    continue  # unaffordable at the top, so at every e
                holds = _holds(q, p, state, rank)
            reach = min(reach, holds)
            changed = min(changed, _overtakes(q, p, state))
            if reach <= -1.0:
                return -1.0, changed
        x0, x1, y0, y1 = bounds[p, 0], bounds[p, 1], bounds[p, 2], bounds[p, 3]
        groups, lowest = _pay(
            p, ptr, types, w, group, forms, moved, touched, groups, x0, x1, y0, y1
        )
        alive[p] = False
        for q in range(m):
            if fresh[q] and (all_near or near[p, q]):
                top = max(bounds[q, 2] - bounds[q, 3], bounds[q, 2] + bounds[q, 3])
                if bounds[q, 5] == 0.0 or not lowest >= top * (1 + 8 * EPS):
                    fresh[q] = False
    # Nothing else is bought: every other project's most money stays below its cost.
    for q in range(m):
        if not alive[q]:
            continue
        k = _gather(q, ptr, types, w, group, acc, touched, forms, gf, gw)
        early, late = _most_held(k, gf, gw, _slack(k, _sizes(k, gf, gw), 0.0, 0.0))
        reach = min(reach, _reach(cost[q] - early, cost[q] - late))
        if reach <= -1.0:
            return -1.0, changed
    return reach, changed


class IntervalData:
    """What ``certify`` needs, over a ``CompiledData``'s arrays. It shares the compiled
    run's scratch arrays for groups (each leaves them as it found them: every ballot type's
    group reset at the start, ``moved`` all -1 and ``acc`` all 0), and adds each group's
    bounds."""

    def __init__(self, compiled):
        self.compiled = compiled
        self.changed_by: int | None = None
        group, budget, _error, moved, acc, touched, _gv, _gd, gw = compiled.scratch
        self.scratch = (
            group,
            np.zeros((len(budget), 4)),  # each group's bounds: lower (a, b), upper (a, b)
            moved,
            acc,
            touched,
            np.zeros((len(touched), 4)),
            gw,
        )

    def steps(self, order, low, high, length: int) -> int:
        """How many of the ``length`` steps after the budget per voter ``low`` (up to
        ``high``) are proven to buy ``order``'s set (as from ``low``)."""
        c = self.compiled
        # A plain int: ``int()`` of a float times a gmpy2 integer rounds to nearest (an
        # mpfr), which would claim a step not proven.
        length = int(length)
        mid, half = float((low + high) / 2), float((high - low) / 2)
        err = 4 * EPS * (abs(mid) + abs(half))
        reach, changed = certify(
            c.ptr, c.types, c.w, c.cost, c.voters, c.rank,
            np.asarray(order, dtype=np.int64), mid, half, err, c.near, c.all_near, self.scratch,
        )  # fmt: skip
        # The step by which the order surely changed, if the bounds tell (a guide only).
        self.changed_by = (
            None if changed >= 1.0 else max(1, math.ceil((changed + 1.0) / 2.0 * length))
        )
        if reach <= -1.0:
            return 0
        if reach >= 1.0:
            return length
        return min(length, math.floor((reach + 1.0) / 2.0 * length * (1 - 1e-9)))


def warm_up() -> None:
    """Load (or compile) ``certify``, on one voter and one project."""
    whole = np.zeros(1, dtype=np.int64)
    one = np.ones(1)
    scratch = (
        np.ones(1, dtype=np.int64),
        np.zeros((3, 4)),
        np.full(3, -1, dtype=np.int64),
        np.zeros(3),
        np.zeros(1, dtype=np.int64),
        np.zeros((1, 4)),
        np.zeros(1),
    )
    near = np.ones((1, 1), dtype=np.bool_)
    ptr = np.array([0, 1], dtype=np.int64)
    certify(ptr, whole, one, one, one, whole, whole, 2.0, 1.0, 0.0, near, False, scratch)
