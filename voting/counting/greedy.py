"""Greedy by votes: the rule most cities use."""

from __future__ import annotations

from .prepare import Prepared


def greedy(prep: Prepared, already: list[int] | None = None) -> tuple[list[int], dict]:
    """Fund proposals by descending score, skipping any that no longer fits.

    ``already`` are projects funded before the greedy pass (the Equal Shares part of
    ``mes-add1-greedy``). Returns the projects funded here, in order, and for each project
    not funded the money that was left when its turn came.
    """
    already = already or []
    taken = set(already)
    costs = prep.costs
    left = prep.budget - sum(costs[p] for p in already)
    rank = prep.rank
    scores = prep.scores
    order = sorted(
        (p for p in range(len(costs)) if p not in taken), key=lambda p: (-scores[p], rank[p])
    )
    funded = []
    money_left_at_turn = {}
    for p in order:
        if costs[p] <= left:
            funded.append(p)
            left -= costs[p]
        else:
            money_left_at_turn[p] = left
    return funded, money_left_at_turn
