"""Sequential Phragmén for approval ballots.

Every voter earns money at the same steady rate. As soon as the supporters of a proposal
have earned enough, together, to pay for it, it is funded and they spend everything they
have; the next proposal is the one whose supporters would end up with the smallest
largest spend ("load"). The count stops at the first such proposal that does not fit in
the money left.

A voter's load only ever becomes the load at which a proposal they approve is funded, so
each ballot type just remembers the last funded proposal it approves. Every round the
engine works out every proposal's new load in floats (NumPy), each within a proven
relative error; only the proposals whose float load is within that error of the lowest
are compared in exact arithmetic, so ties and near-ties are decided exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._numbers import Q
from .prepare import Prepared

EPS = 2.0**-52
SLACK = 1e-12


def phragmen(prep: Prepared, eligible: list[bool]) -> tuple[list[int], dict]:
    """Funds eligible projects only (each has votes). Returns the funded projects in order
    and details for the explanation."""
    costs = prep.costs
    budget = prep.budget
    rank = prep.rank
    votes = prep.votes
    m = len(costs)
    pair_type, pair_project, weights_int = prep.approvals
    weights = weights_int.astype(np.float64)
    order = np.argsort(pair_project, kind="stable")
    starts = np.searchsorted(pair_project[order], np.arange(m + 1))
    types_of = [pair_type[order[starts[p] : starts[p + 1]]] for p in range(m)]
    votes_f = np.array(votes, dtype=np.float64)
    costs_f = np.array([float(c) for c in costs])
    # Relative error of a float load: rounding of each load and of the sums.
    doubt = 4 * (max((len(ts) for ts in types_of), default=0) + 8) * EPS + SLACK

    last = np.full(prep.num_types, -1, dtype=np.intp)  # last funded project approved, by round
    load_f = np.zeros(prep.num_types, dtype=np.float64)
    loads: list[Any] = []  # the exact load each round's funded project gave its supporters
    remaining = np.array([c <= budget and ok for c, ok in zip(costs, eligible, strict=True)])
    spent = 0
    funded: list[int] = []
    stop_project = None

    def exact_load(p):
        counts = np.bincount(last[types_of[p]] + 1, weights=weights[types_of[p]])
        total = sum(loads[j - 1] * int(counts[j]) for j in np.flatnonzero(counts).tolist() if j > 0)
        return (total + costs[p]) / Q(votes[p])

    while remaining.any():
        load_sum = np.bincount(pair_project, weights=(weights * load_f)[pair_type], minlength=m)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(votes_f > 0, (load_sum + costs_f) / votes_f, np.inf)
        value[~remaining] = np.nan
        lowest = np.nanmin(value)
        if lowest == np.inf:  # only proposals nobody approved are left: all tie
            best, tied = None, np.flatnonzero(remaining).tolist()
        else:
            near = np.flatnonzero(value <= lowest * (1 + 2 * doubt)).tolist()
            if len(near) == 1:
                best, tied = None, near
            else:
                exact = {p: exact_load(p) for p in near}
                best = min(exact.values())
                tied = [p for p in near if exact[p] == best]
        if any(spent + costs[p] > budget for p in tied):
            stop_project = min((p for p in tied if spent + costs[p] > budget), key=rank.__getitem__)
            break
        chosen_p = min(tied, key=rank.__getitem__)
        funded.append(chosen_p)
        remaining[chosen_p] = False
        spent += costs[chosen_p]
        if lowest == np.inf:
            continue
        if best is None:
            best = exact_load(chosen_p)
        loads.append(best)
        supporters = types_of[chosen_p]
        last[supporters] = len(loads) - 1
        load_f[supporters] = float(best)
    return funded, {"stop_project": stop_project, "spent": spent}
