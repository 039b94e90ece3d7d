"""Turn an :class:`Election` into the compact integer form the rules work on.

Money is scaled by the least common denominator of the costs and the budget, and points by
that of the points, so every cost, budget and point is an ``int``. Identical ballots are
merged into one ballot type with a weight. Projects are numbered in the election's order;
``rank[p]`` is the project's place in the tie-breaking order (0 wins every tie).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import chain
from math import lcm
from operator import attrgetter

import numpy as np

from .model import (
    APPROVAL,
    CHOOSE_1,
    ORDINAL,
    POINTS_VOTE_TYPES,
    VOTE_TYPES,
    Election,
    ElectionError,
    Number,
    Project,
)
from .ties import TieBreak, tie_break_ranks

BallotTypes = list[tuple[tuple[int, ...], tuple[int, ...] | None, int]]
# (ballot type of each pair, project of each pair, weight of each type): see ``approvals``.
Approvals = tuple[np.ndarray, np.ndarray, np.ndarray]
# The same with each pair's points (None for approval ballots) third.
Pairs = tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]


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
    votes: list[int]  # ballots that chose each project (with positive points)
    scores: list[int]  # approvals, or total (positional) points, scaled
    rank: list[int]
    tie_break: str
    # The distinct ballots, given as ``types`` or (approval and ranked ballots) as arrays
    # of (type, project, points) pairs; ``types`` is worked out from those when asked for.
    given_types: BallotTypes | None = field(default=None, repr=False, compare=False)
    given_pairs: Pairs | None = field(default=None, repr=False, compare=False)

    @property
    def is_approval(self) -> bool:
        return self.vote_type in (APPROVAL, CHOOSE_1)

    @cached_property
    def num_types(self) -> int:
        if self.given_pairs is not None:
            return len(self.given_pairs[3])
        return len(self.types)

    @cached_property
    def types(self) -> BallotTypes:
        """Distinct ballots: (projects, points or None, weight); points are scaled ints."""
        if self.given_types is not None:
            return self.given_types
        assert self.given_pairs is not None
        of_type, chosen, points, weights = self.given_pairs
        flat = chosen.tolist()
        ends = np.cumsum(np.bincount(of_type, minlength=len(weights))).tolist()
        bounds = zip([0, *ends], ends, weights.tolist(), strict=False)
        if points is None:
            return [(tuple(flat[a:b]), None, w) for a, b, w in bounds]
        flat_points = points.tolist()
        return [(tuple(flat[a:b]), tuple(flat_points[a:b]), w) for a, b, w in bounds]

    @cached_property
    def approvals(self) -> Approvals:
        """Every (ballot type, project) chosen, as two flat arrays in type order (projects
        in order within each type), and each type's weight: for counting approval ballots
        with NumPy (worked out once)."""
        if self.given_pairs is not None and self.given_pairs[2] is None:
            of_type, chosen, _points, weights = self.given_pairs
            return of_type, chosen, weights
        lengths = np.fromiter((len(t[0]) for t in self.types), np.intp, len(self.types))
        flat = chain.from_iterable(t[0] for t in self.types)
        projects = np.fromiter(flat, np.intp, int(lengths.sum()))
        weights = np.fromiter((t[2] for t in self.types), np.int64, len(self.types))
        return np.repeat(np.arange(len(self.types)), lengths), projects, weights

    def real_money(self, scaled) -> Number:
        if self.money_scale == 1 and type(scaled) is int:
            return scaled
        return _simplify(Fraction(scaled) / self.money_scale)

    def real_points(self, scaled) -> Number:
        if self.points_scale == 1 and type(scaled) is int:
            return scaled
        return _simplify(Fraction(scaled) / self.points_scale)


def _simplify(value: Fraction) -> Number:
    return int(value) if value.denominator == 1 else value


def _as_fraction(value, what: str) -> Fraction | int:
    """``value`` checked to be exact: an int as it is (it behaves as a Fraction here and
    costs less), anything else as a Fraction."""
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise ElectionError(f"{what} must be an int or a Fraction, not {type(value).__name__}")
    return Fraction(value)


def prepare(election: Election, tie_break: TieBreak = "id") -> Prepared:
    """The election in the rules' integer form, in five named steps."""
    if election.vote_type not in VOTE_TYPES:
        raise ElectionError(f"unknown vote type {election.vote_type!r}")
    with_points = election.vote_type in POINTS_VOTE_TYPES
    raw, num_ballots = _merge_identical_ballots(election.ballots, with_points)
    return _prepare(election, raw, num_ballots, tie_break)


def prepare_tallies(
    vote_type: str,
    budget: Number,
    projects: list[Project],
    tallies: dict[tuple, int],
    tie_break: TieBreak = "id",
    meta: dict[str, str] | None = None,
) -> Prepared:
    """``prepare`` for ballots already counted: ``tallies`` maps each distinct ballot to
    how many voters cast it. A ballot is its tuple of project ids, or for points ballots
    (cumulative, scoring) the pair (project ids, points), as ``Ballot`` holds them.
    """
    if vote_type not in VOTE_TYPES:
        raise ElectionError(f"unknown vote type {vote_type!r}")
    if any(type(w) is not int or w < 1 for w in tallies.values()):
        raise ElectionError("a ballot's multiplicity must be a positive int")
    frame = Election(vote_type, budget, projects, [], meta or {})
    return _prepare(frame, tallies, sum(tallies.values()), tie_break)


def _prepare(election: Election, raw: dict[tuple, int], num_ballots: int, tie_break) -> Prepared:
    """``prepare`` from step 1 on, with the ballots merged (step 2) as ``raw``."""
    vote_type = election.vote_type
    ids, costs, budget, money_scale = _projects_and_money(election)
    with_points = vote_type in POINTS_VOTE_TYPES
    points_scale = _points_scale(raw) if with_points else 1
    max_rank = _longest_ranking(election, raw) if vote_type == ORDINAL else 0
    index = {pid: i for i, pid in enumerate(ids)}
    types = pairs = None
    # Sums in floats are exact below 2**53.
    if not with_points and num_ballots * max(max_rank, 1) < 2**53:
        pairs = _pair_arrays(raw, index, max_rank if vote_type == ORDINAL else None)
        of_type, chosen, points, weights = pairs
        weight_of_pair = weights[of_type].astype(np.float64)
        m = len(ids)
        votes = np.bincount(chosen, weights=weight_of_pair, minlength=m).astype(np.int64).tolist()
        if points is None:
            scores = list(votes)
        else:
            scored = np.bincount(chosen, weights=weight_of_pair * points, minlength=m)
            scores = scored.astype(np.int64).tolist()
    else:
        grouped = _ballot_types(raw, index, vote_type, points_scale, max_rank)
        types, votes, scores = _tally(grouped, len(ids), vote_type)
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
        votes=votes,
        scores=scores,
        rank=rank,
        tie_break=label,
        given_types=types,
        given_pairs=pairs,
    )


def _projects_and_money(election: Election):
    """Step 1: project ids, exact costs and budget, and the money scale that makes them
    all whole numbers (the least common denominator)."""
    ids = [p.id for p in election.projects]
    if len(set(ids)) != len(ids):
        raise ElectionError("two projects have the same id")
    costs = [_as_fraction(p.cost, f"the cost of project {p.id!r}") for p in election.projects]
    budget = _as_fraction(election.budget, "the budget")
    if budget < 0:
        raise ElectionError("the budget is negative")
    for p, c in zip(election.projects, costs, strict=True):
        if c < 0:
            raise ElectionError(f"project {p.id!r} has a negative cost")
    money_scale = lcm(budget.denominator, *(c.denominator for c in costs))
    return ids, costs, budget, money_scale


def _merge_identical_ballots(ballots, with_points: bool) -> tuple[dict[tuple, int], int]:
    """Step 2: identical ballots counted once, with a weight (C-level hashing first; each
    distinct ballot is translated once, in step 4)."""
    multiplicities = set(map(attrgetter("multiplicity"), ballots))
    if any(type(w) is not int or w < 1 for w in multiplicities):
        raise ElectionError("a ballot's multiplicity must be a positive int")
    keys = (
        zip(map(attrgetter("projects"), ballots), map(attrgetter("points"), ballots), strict=True)
        if with_points
        else map(attrgetter("projects"), ballots)
    )
    if multiplicities <= {1}:  # one ballot each, as in every .pb file
        return Counter(keys), len(ballots)
    raw: dict[tuple, int] = {}
    for key, weight in zip(keys, map(attrgetter("multiplicity"), ballots), strict=True):
        raw[key] = raw.get(key, 0) + weight
    return raw, sum(raw.values())


def _points_scale(raw: dict[tuple, int]) -> int:
    """Step 3a: the scale that makes every point a whole number."""
    denominators = set()
    for _chosen, points in raw:
        if points is None:
            raise ElectionError("a ballot needs one number of points per project")
        for x in points:
            if type(x) is not int:
                denominators.add(_as_fraction(x, "points").denominator)
    return lcm(1, *denominators)


def _longest_ranking(election: Election, raw) -> int:
    """Step 3b: ranked ballots score a first choice as many points as the longest
    allowed ranking (the file's ``max_length``, or the longest ballot)."""
    longest = max(map(len, raw), default=0)
    declared = election.meta.get("max_length", "")
    return max(longest, int(declared) if declared.isdigit() else 0)


def _ballot_types(raw, index, vote_type: str, points_scale: int, max_rank: int) -> dict:
    """Step 4: each distinct ballot as (project numbers, scaled points or None), merged
    again where two ballots differ only in order."""
    with_points = vote_type in POINTS_VOTE_TYPES
    if not with_points and vote_type != ORDINAL:
        return _approval_types(raw, index)
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
            group_key = _scaled_points(chosen, key[1], points_scale)
        elif vote_type == ORDINAL:
            pairs = sorted((p, max_rank - position) for position, p in enumerate(chosen))
            group_key = (tuple(p for p, _ in pairs), tuple(x for _, x in pairs))
        else:
            group_key = (tuple(sorted(chosen)), None)
        grouped[group_key] = grouped.get(group_key, 0) + weight
    return grouped


def _approval_types(raw, index) -> dict:
    """Step 4 for approval ballots: each distinct set of project numbers, in order."""
    grouped: dict[tuple, int] = {}
    number = index.__getitem__
    for chosen_ids, weight in raw.items():
        try:
            chosen = tuple(sorted(map(number, chosen_ids)))
        except KeyError as exc:
            raise ElectionError(f"a ballot names unknown project {exc.args[0]!r}") from None
        if len(set(chosen)) != len(chosen):
            raise ElectionError("a ballot names the same project twice")
        key = (chosen, None)
        grouped[key] = grouped.get(key, 0) + weight
    return grouped


def _pair_arrays(raw, index, max_rank: int | None) -> Pairs:
    """Steps 4 and 5 for approval and ranked ballots with NumPy: the same ballot types, in
    the same order, as ``_ballot_types`` and ``_tally`` (a test checks it), as arrays of
    (type, project, points) pairs (points None for approval ballots, whose ``max_rank`` is
    None; for ranked ballots ``max_rank`` for a first choice, one fewer for a second, and so on).

    Each distinct ballot's projects are numbered and sorted with one sort of all of them.
    Two approval ballots that list the same projects in another order are found by
    comparing the sets as rows of bits (one bit per project), and merged into the first
    of them; two different rankings never give the same points.
    """
    keys = list(raw)
    n, m = len(keys), len(index)
    lengths = np.fromiter(map(len, keys), np.intp, n)
    total = int(lengths.sum())
    try:
        numbers = np.fromiter(map(index.__getitem__, chain.from_iterable(keys)), np.intp, total)
    except KeyError as exc:
        raise ElectionError(f"a ballot names unknown project {exc.args[0]!r}") from None
    weights = np.fromiter(raw.values(), np.int64, n)
    of_type = np.repeat(np.arange(n, dtype=np.intp), lengths)
    order = np.argsort(of_type * m + numbers, kind="stable")  # by ballot, then project
    chosen = numbers[order]
    if np.any((chosen[1:] == chosen[:-1]) & (of_type[1:] == of_type[:-1])):
        raise ElectionError("a ballot names the same project twice")
    if max_rank is not None:
        starts = np.cumsum(lengths) - lengths
        position = np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)
        return of_type, chosen, (max_rank - position)[order], weights
    words = max(1, -(-m // 64))
    bits = np.zeros(n * words, dtype=np.uint64)
    one = np.uint64(1)
    # No ballot names a project twice, so adding the bits sets each once.
    np.add.at(bits, of_type * words + (chosen >> 6), one << (chosen & 63).astype(np.uint64))
    first, inverse = _equal_rows(bits.reshape(n, words))
    if len(first) == n:  # no two ballots list the same projects
        return of_type, chosen, None, weights
    # Merge each ballot into the first with the same projects; types keep that order.
    kept = np.sort(first)
    number_of = np.empty(len(first), dtype=np.intp)
    number_of[np.argsort(first)] = np.arange(len(first))
    new = number_of[inverse]
    merged = np.zeros(len(first), dtype=np.int64)
    np.add.at(merged, new, weights)
    is_kept = np.zeros(n, dtype=bool)
    is_kept[kept] = True
    pairs = is_kept[of_type]
    return new[of_type[pairs]], chosen[pairs], None, merged


def _equal_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows of bits: the first row of each set of equal rows, and the set of each row
    (numbered in any order), as ``np.unique``'s ``return_index`` and ``return_inverse``.

    Rows are sorted by one 64-bit number made from each (the row itself when it is one
    word); rows with the same number are then checked to be equal, and if two are not,
    every row is compared in full instead.
    """
    n, words = rows.shape
    key = rows[:, 0] if words == 1 else _row_key(rows)
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    new_set = np.empty(n, dtype=bool)
    new_set[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new_set[1:])
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(new_set) - 1
    first = order[new_set]  # the sort is stable: each set's first row comes first
    if words > 1 and not (rows == rows[first[inverse]]).all():
        _rows, first, inverse = np.unique(
            rows.view(np.dtype((np.void, 8 * words))).ravel(),
            return_index=True,
            return_inverse=True,
        )
        inverse = inverse.ravel()
    return first, inverse


def _row_key(rows: np.ndarray) -> np.ndarray:
    """One well-mixed 64-bit number per row of words (SplitMix64's finaliser on each word
    and its place, combined with xor); equal rows get equal numbers."""
    key = np.zeros(len(rows), dtype=np.uint64)
    for j in range(rows.shape[1]):
        x = rows[:, j] + np.uint64((j + 1) * 0x9E3779B97F4A7C15 % 2**64)
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
        key ^= x
    return key


def _scaled_points(chosen: list[int], points, points_scale: int) -> tuple:
    if len(points) != len(chosen):
        raise ElectionError("a ballot needs one number of points per project")
    pairs = []
    for p, x in zip(chosen, points, strict=True):
        if type(x) is not int:
            x = int(_as_fraction(x, "points") * points_scale)
        elif points_scale != 1:
            x *= points_scale
        if x < 0:
            raise ElectionError("a ballot gives negative points")
        if x:
            pairs.append((p, x))
    pairs.sort()
    return (tuple(p for p, _ in pairs), tuple(x for _, x in pairs))


def _tally(grouped: dict, m: int, vote_type: str):
    """Step 5: the ballot types as a list, and each project's votes and score."""
    votes = [0] * m
    scores = [0] * m
    types = []
    for (chosen, points), weight in grouped.items():
        types.append((chosen, points, weight))
        if points is None:
            for p in chosen:
                votes[p] += weight
        else:
            for p, x in zip(chosen, points, strict=True):
                votes[p] += weight
                scores[p] += x * weight
    if vote_type in (APPROVAL, CHOOSE_1):
        scores = list(votes)
    return types, votes, scores
