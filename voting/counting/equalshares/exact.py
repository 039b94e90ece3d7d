"""Exact prices: water-filling over a project's supporters in exact arithmetic.

Obligation: with an upper bound ``hi`` on rho from floats, only groups that might pay
all they hold at ``hi`` are worked out exactly; every other group is checked, in floats
with the error bound, to hold at least rho x utility. If that check fails the price is
worked out again over every group, so a float never decides a price.
"""

from __future__ import annotations

import numpy as np

from .._numbers import Q
from .bounds import SLACK
from .state import RunState
from .supporters import Supporters


class ExactPricing(RunState):
    """Exact prices (mixed into ``run._Run``)."""

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
