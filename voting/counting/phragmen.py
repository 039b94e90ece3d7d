"""Sequential Phragmén for approval ballots.

Every voter earns money at the same steady rate. As soon as the supporters of a proposal
have earned enough, together, to pay for it, it is funded and they spend everything they
have; the next proposal is the one whose supporters would end up with the smallest
largest spend ("load"). The count stops at the first such proposal that does not fit in
the money left.

Voter types with the same load are handled together: the load of a voter only ever
becomes the new load of a funded proposal they approve, so the engine keeps, for every
proposal, the total load of its supporters and updates it when they pay.
"""

from __future__ import annotations

from ._numbers import Q
from .prepare import Prepared


def phragmen(prep: Prepared) -> tuple[list[int], dict]:
    """Returns the funded projects in order and details for the explanation."""
    costs = prep.costs
    budget = prep.budget
    rank = prep.rank
    votes = prep.votes
    m = len(costs)
    ballots_of = [[] for _ in range(m)]
    for t, (chosen, _points, _w) in enumerate(prep.types):
        for p in chosen:
            ballots_of[p].append(t)
    loads = [Q(0)] * len(prep.types)
    load_sum = [Q(0)] * m  # sum over the supporters of p of weight * load
    remaining = {p for p in range(m) if costs[p] <= budget}
    spent = 0
    funded: list[int] = []
    stop_project = None
    types = prep.types
    while remaining:
        best = None
        tied: list[int] = []
        for p in remaining:
            # None stands for an infinite load: a proposal nobody approved.
            value = (load_sum[p] + costs[p]) / votes[p] if votes[p] else None
            if not tied:
                best, tied = value, [p]
            elif value == best:
                tied.append(p)
            elif best is None or (value is not None and value < best):
                best, tied = value, [p]
        if any(spent + costs[p] > budget for p in tied):
            stop_project = min((p for p in tied if spent + costs[p] > budget), key=rank.__getitem__)
            break
        chosen_p = min(tied, key=rank.__getitem__)
        funded.append(chosen_p)
        remaining.discard(chosen_p)
        spent += costs[chosen_p]
        if best is None:
            continue
        for t in ballots_of[chosen_p]:
            old = loads[t]
            if old == best:
                continue
            delta = (best - old) * types[t][2]
            loads[t] = best
            for p in types[t][0]:
                if p in remaining:
                    load_sum[p] += delta
    return funded, {"stop_project": stop_project, "spent": spent}
