"""Tie-breaking: each project's place in the order that decides exact ties.

``"id"`` is pabutools' order (project ids compared as text, so "10" before "9"),
``"id-desc"`` the reverse, or a full list of ids (for example drawn by lot in public).
Every rule uses ``rank[p]`` only to decide between exactly equal scores or prices.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import ElectionError

TieBreak = str | Sequence[str]
TIE_BREAKS = ("id", "id-desc")


def tie_break_ranks(ids: list[str], tie_break: TieBreak) -> tuple[list[int], str]:
    """Rank projects for tie-breaking; returns the ranks and a label for the outcome."""
    if isinstance(tie_break, str):
        if tie_break == "id":
            order = sorted(range(len(ids)), key=lambda i: ids[i])
        elif tie_break == "id-desc":
            order = sorted(range(len(ids)), key=lambda i: ids[i], reverse=True)
        else:
            raise ElectionError(
                f"unknown tie-break {tie_break!r}; use 'id', 'id-desc' or a list of project ids"
            )
        label = tie_break
    else:
        priority = list(tie_break)
        position = {pid: i for i, pid in enumerate(priority)}
        if len(position) != len(priority) or set(position) != set(ids):
            raise ElectionError("a tie-break list must name every project exactly once")
        order = sorted(range(len(ids)), key=lambda i: position[ids[i]])
        label = "list"
    rank = [0] * len(ids)
    for r, i in enumerate(order):
        rank[i] = r
    return rank, label
