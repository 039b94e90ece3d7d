"""Turn an :class:`Election` into the compact integer form the rules work on.

Money is scaled by the least common denominator of the costs and the budget, and points by
that of the points, so every cost, budget and point is an ``int``. Identical ballots are
merged into one ballot type with a weight. Projects are numbered in the election's order;
``rank[p]`` is the project's place in the tie-breaking order (0 wins every tie).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from operator import attrgetter

from .model import (
    APPROVAL,
    CHOOSE_1,
    ORDINAL,
    POINTS_VOTE_TYPES,
    VOTE_TYPES,
    Election,
    ElectionError,
    Number,
)

TieBreak = str | Sequence[str]
TIE_BREAKS = ("id", "id-desc")


@dataclass
class Prepared:
    vote_type: str
    ids: list[str]
    names: list[str]
    costs: list[int]  # scaled money
    budget: int  # scaled money
    money_scale: int  # scaled = real * money_scale
    points_scale: int
    num_ballots: int
    # Distinct ballots: (projects, points or None, weight); points are scaled ints.
    types: list[tuple[tuple[int, ...], tuple[int, ...] | None, int]]
    votes: list[int]  # ballots that chose each project (with positive points)
    scores: list[int]  # approvals, or total (positional) points, scaled
    rank: list[int]
    tie_break: str

    @property
    def is_approval(self) -> bool:
        return self.vote_type in (APPROVAL, CHOOSE_1)

    def real_money(self, scaled) -> Number:
        return _simplify(Fraction(scaled) / self.money_scale)

    def real_points(self, scaled) -> Number:
        return _simplify(Fraction(scaled) / self.points_scale)


def _simplify(value: Fraction) -> Number:
    return int(value) if value.denominator == 1 else value


def _as_fraction(value, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise ElectionError(f"{what} must be an int or a Fraction, not {type(value).__name__}")
    return Fraction(value)


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


def prepare(election: Election, tie_break: TieBreak = "id") -> Prepared:
    vote_type = election.vote_type
    if vote_type not in VOTE_TYPES:
        raise ElectionError(f"unknown vote type {vote_type!r}")
    ids = [p.id for p in election.projects]
    index = {pid: i for i, pid in enumerate(ids)}
    if len(index) != len(ids):
        raise ElectionError("two projects have the same id")
    costs = [_as_fraction(p.cost, f"the cost of project {p.id!r}") for p in election.projects]
    budget = _as_fraction(election.budget, "the budget")
    if budget < 0:
        raise ElectionError("the budget is negative")
    for p, c in zip(election.projects, costs, strict=False):
        if c < 0:
            raise ElectionError(f"project {p.id!r} has a negative cost")
    money_scale = lcm(budget.denominator, *(c.denominator for c in costs))
    with_points = vote_type in POINTS_VOTE_TYPES
    max_rank = 0
    if vote_type == ORDINAL:
        longest = max((len(b.projects) for b in election.ballots), default=0)
        declared = election.meta.get("max_length", "")
        max_rank = max(longest, int(declared) if declared.isdigit() else 0)

    # Count identical ballots first (C-level hashing), then translate each distinct one.
    ballots = election.ballots
    multiplicities = set(map(attrgetter("multiplicity"), ballots))
    if any(type(w) is not int or w < 1 for w in multiplicities):
        raise ElectionError("a ballot's multiplicity must be a positive int")
    keys = (
        zip(map(attrgetter("projects"), ballots), map(attrgetter("points"), ballots), strict=True)
        if with_points
        else map(attrgetter("projects"), ballots)
    )
    if multiplicities <= {1}:  # one ballot each, as in every .pb file
        raw: dict[tuple, int] = Counter(keys)
        num_ballots = len(ballots)
    else:
        raw = {}
        for key, weight in zip(keys, map(attrgetter("multiplicity"), ballots), strict=True):
            raw[key] = raw.get(key, 0) + weight
        num_ballots = sum(raw.values())
    points_scale = 1
    if with_points:
        denominators = set()
        for _chosen, points in raw:
            if points is None:
                raise ElectionError("a ballot needs one number of points per project")
            for x in points:
                if type(x) is not int:
                    denominators.add(_as_fraction(x, "points").denominator)
        points_scale = lcm(1, *denominators)

    grouped: dict[tuple, int] = {}
    for key, weight in raw.items():
        chosen_ids = key[0] if with_points else key
        try:
            chosen = [index[pid] for pid in chosen_ids]
        except KeyError as exc:
            raise ElectionError(f"a ballot names unknown project {exc.args[0]!r}") from None
        if len(set(chosen)) != len(chosen):
            raise ElectionError("a ballot names the same project twice")
        if with_points:
            points = key[1]
            if len(points) != len(chosen):
                raise ElectionError("a ballot needs one number of points per project")
            pairs = []
            for p, x in zip(chosen, points, strict=False):
                if type(x) is not int:
                    x = _as_fraction(x, "points") * points_scale
                    x = int(x)
                elif points_scale != 1:
                    x *= points_scale
                if x < 0:
                    raise ElectionError("a ballot gives negative points")
                if x:
                    pairs.append((p, x))
            pairs.sort()
            group_key = (tuple(p for p, _ in pairs), tuple(x for _, x in pairs))
        elif vote_type == ORDINAL:
            pairs = sorted((p, max_rank - position) for position, p in enumerate(chosen))
            group_key = (tuple(p for p, _ in pairs), tuple(x for _, x in pairs))
        else:
            group_key = (tuple(sorted(chosen)), None)
        grouped[group_key] = grouped.get(group_key, 0) + weight

    m = len(ids)
    votes = [0] * m
    scores = [0] * m
    types = []
    for (chosen, points), weight in grouped.items():
        types.append((chosen, points, weight))
        if points is None:
            for p in chosen:
                votes[p] += weight
        else:
            for p, x in zip(chosen, points, strict=False):
                votes[p] += weight
                scores[p] += x * weight
    if vote_type in (APPROVAL, CHOOSE_1):
        scores = list(votes)
    rank, label = tie_break_ranks(ids, tie_break)
    return Prepared(
        vote_type=vote_type,
        ids=ids,
        names=[p.name for p in election.projects],
        costs=[int(c * money_scale) for c in costs],
        budget=int(budget * money_scale),
        money_scale=money_scale,
        points_scale=points_scale,
        num_ballots=num_ballots,
        types=types,
        votes=votes,
        scores=scores,
        rank=rank,
        tie_break=label,
    )
