"""Pricing in floats: a proven interval around each project's price ``rho``.

Obligations: (1) every float budget is within ``err`` of the exact one, so giving everyone
``err`` more money gives a lower bound on rho (more money never raises a price), and
``err`` less an upper bound, checked by summing what the supporters would pay at it;
(2) rho only rises as money is spent, so a stale lower bound is still a lower bound,
which is what lets the heap reprice only projects that could be the cheapest.
"""

from __future__ import annotations

import heapq

import numpy as np

from .bounds import EPS, SHORT, SLACK, UNAFFORDABLE, UNSURE, dot
from .state import RunState
from .supporters import Supporters


class FloatPricing(RunState):
    """Float prices and bounds (mixed into ``run._Run``)."""

    def held(self, p):
        """p's supporters' groups and float budgets, as arrays (gathered once between two
        purchases, which are what change them: see ``Paying._moved``)."""
        found = self.held_now.get(p)
        if found is None:
            old = self.group[self.data.supporters[p].types]
            found = self.held_now[p] = (old, self.budget_f[old])
        return found

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
        vw = None
        for _ in range(64):
            poor = ratio < rho * scale
            k = int(np.count_nonzero(poor))
            if k == poorest or (k == 0 and rho == c / rich):
                return spent, rich, rho, k, poor
            poorest = k
            if k and s.n < SHORT:
                spent = dot(v[poor], s.w[poor])
                rich = s.total_u_f - float(np.add.reduce(s.wu[poor]))
            elif k:
                # Sums over the poor as masked sums over everyone: adding a zero is exact,
                # so the error bound of a sum of k terms still holds.
                if vw is None:
                    vw = np.multiply(v, s.w)
                spent = float(np.add.reduce(np.multiply(vw, poor)))
                rich = s.total_u_f - float(np.add.reduce(np.multiply(s.wu, poor)))
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
        v = self.held(p)[1]
        c = s.cost_f
        total = dot(v, s.w)
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
            v = self.held(p)[1] - self.err
            found = self._fill(s, v, self.entry[p][0])
            if found is not None:
                spent, rich, rho, k, _poor = found
                # Room above the water level for the rounding of the check below.
                rounding = (s.n + 8) * EPS * (2 * rho * s.total_u_f + self.err * s.voters)
                spent = spent - (k + 4) * EPS * abs(spent)
                hi = ((s.cost_f - spent) + 2 * rounding) / rich * (1 + 8 * EPS) * (1 + SLACK)
                covered = dot(np.minimum(v, hi * s.u), s.w)
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
