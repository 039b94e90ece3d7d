"""Straight lines between two budgets: a sharper replay certificate for Add1.

``run.mes_follow`` replays the purchases of a run at a budget per voter b0 with a larger
one, b1. Its first test compares each purchase's price at b0 with its rivals' prices at
b1; rivals that are near-ties fail it even when, at every budget between, they stay
dearer. This module proves those near-ties at every budget between, as follows.

Replay the purchases p_1, p_2, ... in the same order at any budget b in [b0, b1]; write
m_i(b) for a voter's money before a purchase and rho_t(b) for purchase t's price.

* **Monotone.** More money per voter leaves every voter at least as much money at each
  step and every price at most as high, so m_i(b) <= m_i(b1) and rho_t(b) <= rho_t(b0).
* **Straight.** A voter's money is a straight (affine) function of b while every purchase
  they paid towards was a *straight purchase*: one whose supporters all had straight
  money and whose set of supporters paying all they had ("capped") is the same at b0 and
  at b1, with someone not capped. Proof, by induction over purchases: take the capped set
  C and the rest U of purchase t as at both ends, and r(b) = (cost - sum over C of m_i(b))
  / (sum over U of utility). r is affine and equals rho_t at b0 and b1. The conditions
  "m_i(b) <= r(b) u_i for i in C" and "m_i(b) >= r(b) u_i for i in U" are affine in b and
  hold at both ends, so at every b between: there r(b) is a water level whose payments
  add up to the cost, and as U is not empty no lower level is, so rho_t(b) = r(b). After
  the purchase, C holds 0 and U holds m_i(b) - r(b) u_i: straight again. A voter with no
  money at b1 has none at any b between (monotone), which is straight too.
* **Lines through the ends.** An affine function is the line through its two ends, so a
  straight quantity is bounded above by the line through upper bounds of its ends. Every
  other quantity is bounded by a constant: m_i(b) <= m_i(b1), rho_t(b) <= rho_t(b0).
* **Rival dearer throughout.** A rival q is strictly dearer than purchase t at b iff its
  supporters, each paying the least of their money and rho_t(b) times their utility,
  raise less than its cost (also when q is unaffordable). Each term is at most either of
  its upper bounds above, and choosing one of the two for each voter makes the sum an
  affine function of b, below the cost at both ends and so at every b between.

So a rival that passes here is strictly dearer than the purchase at every budget in
[b0, b1], which is what ``mes_follow`` needs of every rival sharing a voter with it.
Floats carry the ends with the runs' proven error bounds; a sum must be below the cost
by more than its rounding, so a tie is never proven here (the count decides it).
"""

from __future__ import annotations

import numpy as np

from .bounds import EPS, SLACK, dot


class Lines:
    """Bounds at b0 on each ballot type's money, as a function of the budget between a
    run at b0 and a replay at b1, worked out purchase by purchase only when a near-tie
    needs them (see the module docstring)."""

    def __init__(self, data, run):
        self.data = data
        self.run = run  # the replay at b1, kept with its history
        self.usable = data.floats_exact
        self.straight = np.ones(data.num_types, dtype=bool)
        self.high0: np.ndarray | None = None  # U_i(b0), set up when first needed
        self.low0: np.ndarray | None = None  # l_i(b0)
        self.done = 0  # purchases followed
        self.bars: dict[int, float | None] = {}  # purchase -> upper bound on rho-bar(b0)

    def _start(self, before) -> None:
        base = before.run
        start, err = float(base.budget_f[1]), float(base.err_f[1])
        self.high0 = np.full(self.data.num_types, start + 2 * err)
        run = self.run
        self.gap = float(run.budget_f[1]) - float(run.err_f[1]) - (start + err)
        self.low0 = np.full(self.data.num_types, start - 2 * err)

    def _catch_up(self, before, last: int) -> None:
        """Follow the purchases up to ``last`` (both runs bought the same ones)."""
        if self.high0 is None:
            self._start(before)
        high0, low0 = self.high0, self.low0
        assert high0 is not None and low0 is not None
        base, run, data = before.run, self.run, self.data
        for t in range(self.done, last + 1):
            s = data.supporters[base.bought[t].project]
            types = s.types
            _before0, after0, lo0, _hi0 = base.history[t]
            before1, after1, lo1, _hi1 = run.history[t]
            capped0 = after0 == 0
            capped1 = after1 == 0
            empty = before1 == 0  # no money before it, at b1 and so at b0
            straight = (
                bool((capped0 == capped1).all())
                and not bool(capped1.all())
                and bool((self.straight[types] | empty).all())
            )
            if not straight:
                self.straight[types] = False
            u = s.u
            # U_i: the convex upper bound, less a concave lower bound on the price (its
            # chord when the purchase is straight, else its value at b1).
            paid = (lo0 if straight else lo1) * u
            high = high0[types] - paid
            high += 4 * EPS * (np.abs(high) + paid)
            high0[types] = np.where(capped1, 0.0, np.maximum(high, 0.0))
            # l_i: the concave lower bound, less rho-bar, the convex upper bound on the
            # price worked out from the l_i.
            price = self._bar(before.run, t)
            self.done = t + 1
            if price is None:
                low = np.full(len(types), -np.inf)
            else:
                paid = price * u
                low = low0[types] - paid
                low -= 4 * EPS * (np.abs(low) + paid)
            low0[types] = np.where(capped1, 0.0, low)

    def _bar(self, base, t: int) -> float | None:
        """An upper bound on rho-bar(b0) of purchase ``t`` (purchases before it followed)."""
        if t not in self.bars:
            assert self.low0 is not None
            s = self.data.supporters[base.bought[t].project]
            self.bars[t] = _water_level(self.low0[s.types], s)
        return self.bars[t]

    def dearer(self, q, before, rho1: float) -> bool:
        """Whether q is strictly dearer than the purchase replayed next (``before`` at b0;
        ``rho1`` an upper bound on its price at b1) at every budget between."""
        if not self.usable or before.run.history is None:
            return False  # floats cannot be trusted, or the run at b0 kept no history
        t = before.index
        self._catch_up(before, t - 1)
        high0, low0 = self.high0, self.low0
        assert high0 is not None and low0 is not None
        bar = self._bar(before.run, t)
        run = self.run
        s = self.data.supporters[q]
        g1 = run.group[s.types]
        high1 = (run.budget_f[g1] + run.err_f[g1]) * (1 + 2 * EPS)
        # Also m_i(b) <= max(0, m_i(b1) - (b1 - b)), convex: the lower of the two chords.
        high0 = np.minimum(high0[s.types], np.maximum(high1 - self.gap * (1 - 4 * EPS), 0.0))
        # Two affine upper bounds on the price: its value at b0, or rho-bar's chord.
        chords = [(before.hi, before.hi)]
        if bar is not None:
            chords.append((bar, rho1))
        rounding = 1 + 4 * (s.n + 16) * EPS + SLACK
        for r0, r1 in chords:
            pay0, pay1 = r0 * s.u, r1 * s.u
            money = high0 + high1 <= pay0 + pay1
            end0 = dot(np.where(money, high0, pay0), s.w)
            end1 = dot(np.where(money, high1, pay1), s.w)
            if max(end0, end1) * rounding < s.cost_f:
                return True
        return False


def _water_level(money: np.ndarray, s) -> float | None:
    """An upper bound on the price of a project with supporters ``s`` holding ``money``
    (each at least 0 or not), or None if it cannot be proven in floats."""
    w, u = s.w, s.u
    if not np.isfinite(money).all():
        return None
    order = np.argsort(money / u, kind="stable")
    m, uu, ww = money[order], u[order], w[order]
    held = np.concatenate(([0.0], np.cumsum(m * ww)))[:-1]
    rest = s.total_u_f - np.concatenate(([0.0], np.cumsum(uu * ww)))[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        levels = (s.cost_f - held) / rest
    fits = np.flatnonzero((levels * uu <= m) & (rest > 0))
    if not len(fits):
        return None
    level = float(levels[fits[0]])
    if not np.isfinite(level) or level <= 0:
        return None
    # Proven: at this level (rounded up) the supporters' payments cover the cost.
    high = level * (1 + 1e-9) + 1e-300
    paid = np.minimum(money, high * u)
    rounding = 4 * (s.n + 16) * EPS * dot(np.abs(paid), w)
    if dot(paid, w) - rounding < s.cost_f:
        return None
    return high
