"""Who supports what: each project's supporting ballot types, as NumPy arrays.

Voters with the same ballot are one *type*. Obligation used by pricing: floats hold every
cost and every sum of utilities exactly (``MesData.floats_exact``); where they do not,
every price is worked out exactly instead.
"""

from __future__ import annotations

import numpy as np

from ..prepare import Prepared


class Supporters:
    """One project's supporting ballot types, as arrays for NumPy."""

    __slots__ = (
        "cost",
        "cost_f",
        "n",
        "nu",
        "total_u",
        "total_u_f",
        "types",
        "u",
        "urank",
        "uvals",
        "uvals_f",
        "voters",
        "w",
        "wu",
    )

    def __init__(self, cost: int, types, weights, utilities):
        """``types`` and ``weights`` as lists, or as NumPy arrays (int64 weights)."""
        self.cost = cost
        self.cost_f = float(cost)
        self.n = len(types)
        self.types = np.asarray(types, dtype=np.intp)
        if isinstance(weights, np.ndarray):
            self.voters = int(weights.sum())
        else:
            self.voters = sum(weights)
        self.w = np.asarray(weights, dtype=np.float64)
        if utilities is None:  # approval: every supporter gets the cost as satisfaction
            self.uvals = [cost]
            self.urank = None
            self.u = np.full(self.n, self.cost_f)
            self.total_u = self.voters * cost
        else:
            self.uvals = sorted(set(utilities))
            index = {u: i for i, u in enumerate(self.uvals)}
            self.urank = np.array([index[u] for u in utilities], dtype=np.intp)
            self.u = np.array(utilities, dtype=np.float64)
            self.total_u = sum(u * w for u, w in zip(utilities, weights, strict=True))
        self.nu = len(self.uvals)
        self.uvals_f = np.array(self.uvals, dtype=np.float64)
        self.wu = self.w * self.u
        self.total_u_f = float(self.total_u)


class MesData:
    """What every run of MES on one election shares."""

    def __init__(self, prep: Prepared, eligible: list[bool] | None = None):
        self.prep = prep
        costs = prep.costs
        m = len(costs)
        self.approval = approval = prep.is_approval
        weights: np.ndarray | list[int]
        if approval and prep.num_ballots < 2**53:
            types, utilities = self._approval_arrays(m)
            weights = prep.approvals[2]
        else:
            types, utilities = self._types(m)
            weights = [weight for _chosen, _points, weight in prep.types]
        # Projects MES can consider: supported and not free. A free supported project is
        # funded at once, as pabutools puts it in the initial allocation. With cost
        # satisfaction a free project gives no satisfaction, so it is not supported.
        supported = [
            len(ts) > 0 and (costs[p] > 0 or not approval) and (eligible is None or eligible[p])
            for p, ts in enumerate(types)
        ]
        self.candidates = [p for p in range(m) if supported[p] and costs[p] > 0]
        self.free = [p for p in range(m) if supported[p] and costs[p] == 0]
        self.is_candidate = [False] * m
        self.supporters: list[Supporters | None] = [None] * m
        for p in self.candidates:
            self.is_candidate[p] = True
            ts = types[p]
            self.supporters[p] = Supporters(
                costs[p],
                ts,
                weights[ts] if isinstance(ts, np.ndarray) else [weights[t] for t in ts],
                None if approval else utilities[p],
            )
        self.num_types = prep.num_types
        # A run never makes more groups than this: two to start with, and a purchase
        # moves each of its supporting types to at most one new group.
        self.most_groups = 2 + sum(s.n for s in self.supporters if s is not None)
        # Which projects each ballot type supports, one bit per project, to find the
        # projects that share a supporter with a purchase (kept only while it is small).
        self.neighbours: dict[int, set[int]] = {}
        self.incidence = None
        words = -(-m // 64)
        if self.num_types * words <= 2_500_000:
            bits = np.zeros(self.num_types * words, dtype=np.uint64)
            for p, ts in enumerate(types):
                bits[np.asarray(ts, dtype=np.intp) * words + p // 64] |= np.uint64(1 << (p % 64))
            self.incidence = bits.reshape(self.num_types, words)
        # Floats hold every cost and sum of utilities exactly (below 2**53), so the float
        # bounds hold; otherwise every price is worked out exactly.
        self.floats_exact = all(
            s.total_u < 2**53 and s.cost < 2**53 for s in self.supporters if s is not None
        )

    def _types(self, m: int) -> tuple[list, list]:
        """Each project's supporting ballot types, and their utilities (points ballots)."""
        types: list[list[int]] = [[] for _ in range(m)]
        utilities: list[list[int]] = [[] for _ in range(m)]
        for t, (chosen, points, _weight) in enumerate(self.prep.types):
            if points is None:
                for p in chosen:
                    types[p].append(t)
            else:
                for p, u in zip(chosen, points, strict=False):
                    if u > 0:
                        types[p].append(t)
                        utilities[p].append(u)
        return types, utilities

    def _approval_arrays(self, m: int) -> tuple[list, list]:
        """``_types`` for approval ballots with NumPy: the same types, in the same order,
        as arrays."""
        of_type, chosen, _weights = self.prep.approvals
        order = np.argsort(chosen, kind="stable")  # stable: types stay in their order
        ends = np.cumsum(np.bincount(chosen, minlength=m))
        return np.split(of_type[order], ends[:-1]), [[] for _ in range(m)]

    @property
    def compilable(self) -> bool:
        """Whether the compiled run (``compiled``) can count this election: approval
        ballots, whose every cost and count of voters floats hold exactly."""
        return bool(self.approval and self.floats_exact)

    def neighbours_of(self, p: int) -> set[int] | None:
        """Projects sharing a supporter with p, or None if not worked out."""
        if self.incidence is None:
            return None
        if p not in self.neighbours:
            s = self.supporters[p]
            assert s is not None, "only candidates are bought"
            shared = np.bitwise_or.reduce(self.incidence[s.types], axis=0)
            bits = np.unpackbits(shared.astype("<u8").view(np.uint8), bitorder="little")
            self.neighbours[p] = set(np.flatnonzero(bits).tolist())
        return self.neighbours[p]
