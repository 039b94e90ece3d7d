"""Paying for a purchase: supporters move to new groups.

Obligation for a purchase priced in floats (``_buy_float``): the interval [lo, hi] holds
the exact price if every group taken as poor holds less than lo x utility and every other
group at least hi x utility; then both ends bracket the same water level and the exact
price is (cost - money of the poor) / (utility of the rest), worked out when needed.
"""

from __future__ import annotations

import numpy as np

from .bounds import EPS, dot
from .budgets import _Bought
from .state import RunState


class Paying(RunState):
    """Charging supporters (mixed into ``run._Run``)."""

    def _moved(self, s, new) -> None:
        """A purchase moves its supporters to groups ``new``; what ``held`` gathered before
        it is no longer true."""
        self.group[s.types] = new
        self.held_now.clear()

    def _regroup(self, s, keys_of, keys, new) -> None:
        lookup = np.zeros(int(keys[-1]) + 1, dtype=np.intp)
        lookup[keys] = new
        self._moved(s, lookup[keys_of])

    def _buy_float(self, p):
        """Buy p at a price known within a proven interval, if floats can prove it.

        The interval holds the exact price if every group taken as poor holds less than
        its lower end times its utility, and every other group at least its upper end
        times its utility: then both ends bracket the same water level. None otherwise.
        """
        if not self.data.floats_exact:
            return None
        s = self.data.supporters[p]
        old, v = self.held(p)
        found = self._fill(s, v, s.cost_f / s.total_u_f)
        if found is None:
            return None
        spent, rich, rho, k, poor = found
        e = self.err_f[old]
        w, u = s.w, s.u
        at = np.flatnonzero(poor) if k else None  # the poor, as positions
        doubt = (k + 4) * EPS * abs(spent) + EPS * s.cost_f
        if at is not None:
            doubt += dot(e[at], w[at])
        margin = doubt / rich + 4 * EPS * rho
        lo, hi = rho - margin, rho + margin
        tight = 1 + 4 * EPS
        if s.urank is None:  # approval: everyone's utility is the cost
            return self._buy_float_approval(p, s, old, v, e, at, (rich, rho, lo, hi, margin))
        rest = np.flatnonzero(~poor) if k else np.arange(s.n)
        if k and not ((v[poor] + e[poor]) * tight < lo * u[poor] / tight).all():
            return None
        if not ((v[rest] - e[rest]) / tight >= hi * u[rest] * tight).all():
            return None
        paid, doubt = rho * u[rest], margin * u[rest]
        record = _Bought(p, poor=(old[poor], w[poor]), rich_u=int(rich))
        # Each supporting type moves on its own: the poor to group 0, the rest to new groups.
        new = np.zeros(s.n, dtype=np.intp)
        self._pay_common(old, s.urank, rest, paid, doubt, new)
        self._moved(s, new)
        return record, lo, hi

    def _buy_float_approval(self, p, s, old, v, e, at, found):
        """``_buy_float``'s checks and payment for approval ballots, where everyone's
        utility is the cost: every rich supporter pays the same, and moves to a group of
        its own; the poor (positions ``at``) go to group 0. The checks are the same as for
        points ballots; scaling by ``tight`` after taking the extreme rounds the same as
        before it.
        """
        rich, rho, lo, hi, margin = found
        u = s.cost_f
        tight = 1 + 4 * EPS
        if at is not None and not float(np.max(v[at] + e[at])) * tight < lo * u / tight:
            return None
        low = v - e
        if at is not None:
            low[at] = np.inf
        if not float(np.minimum.reduce(low)) / tight >= hi * u * tight:
            return None
        paid, doubt = rho * u, margin * u
        poor = (old[at], s.w[at]) if at is not None else (old[:0], s.w[:0])
        record = _Bought(p, poor=poor, rich_u=int(rich))
        first = self.new_groups(s.n)
        end = first + s.n
        new = np.arange(first, end)
        self.parent[first:end] = old
        self.via[first:end] = len(self.bought)
        self.urank[first:end] = 0  # an approval project has one utility, its cost
        after = self.budget_f[first:end]
        np.subtract(v, paid, out=after)
        # The rich hold at least ``paid``, so 0 <= after <= v: 2 EPS (|after| + paid), the
        # rounding of the subtraction and of the price, is at most 2 EPS (v + paid).
        err = self.err_f[first:end]
        np.multiply(v, 2 * EPS, out=err)
        err += e
        err += doubt + 2 * EPS * paid
        if at is not None:
            new[at] = 0
            err[at] = 0.0  # slots never used
        self.err = max(self.err, float(np.maximum.reduce(err)))
        self._moved(s, new)
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
        count = len(rest)
        first = self.new_groups(count)
        end = first + count
        new[rest] = np.arange(first, end)
        old = groups[rest]
        self.parent[first:end] = old
        self.via[first:end] = len(self.bought)
        self.urank[first:end] = 0 if ranks is None else ranks[rest]
        after = self.budget_f[old] - paid
        self.budget_f[first:end] = after
        err = self.err_f[old] + doubt + 2 * EPS * (np.abs(after) + paid)
        self.err_f[first:end] = err
        self.err = max(self.err, float(err.max()))
