"""Greedy by votes: the rule most cities use, with or without skipping."""

from __future__ import annotations

from .prepare import Prepared


def greedy(
    prep: Prepared,
    eligible: list[bool],
    already: list[int] | None = None,
    no_skip: bool = False,
) -> tuple[list[int], dict, int | None]:
    """Fund eligible proposals by descending score, skipping any that no longer fits, or
    with ``no_skip`` stopping at the first that does not fit.

    ``already`` are projects funded before the greedy pass (the Equal Shares part of a
    top-up). Returns the projects funded here, in order; for each eligible project not
    funded, the money that was left when its turn came (or when the count stopped); and
    the project the count stopped at (``no_skip`` only), else None.
    """
    already = already or []
    taken = set(already)
    costs = prep.costs
    left = prep.budget - sum(costs[p] for p in already)
    rank = prep.rank
    scores = prep.scores
    order = sorted(
        (p for p in range(len(costs)) if p not in taken and eligible[p]),
        key=lambda p: (-scores[p], rank[p]),
    )
    funded = []
    money_left_at_turn = {}
    stopped_at = None
    for p in order:
        if stopped_at is None and costs[p] <= left:
            funded.append(p)
            left -= costs[p]
        else:
            money_left_at_turn[p] = left
            if no_skip and stopped_at is None:
                stopped_at = p
    return funded, money_left_at_turn, stopped_at
