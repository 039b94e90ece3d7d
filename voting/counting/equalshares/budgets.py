"""Groups and budgets: who holds how much money, exactly when asked.

Types with the same budget share a *group*. A purchase moves each group of its supporters
to a new group, so an array of group numbers says who holds what, and a group's exact
budget is only worked out when a decision needs it: its parent group's budget less the
price paid times the utility (the "recipe"). Obligation: a purchase's exact price depends
only on earlier purchases, so working prices out in purchase order (``force``) never
needs a price not yet known.
"""

from __future__ import annotations

import numpy as np

from .._numbers import Q
from .state import RunState


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


class Budgets(RunState):
    """The budget half of a run (mixed into ``run._Run``, which sets the arrays up)."""

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
