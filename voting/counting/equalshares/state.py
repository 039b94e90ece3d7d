"""What one run of Equal Shares holds, declared once for the modules that share it.

``run._Run`` sets it all up; ``budgets``, ``pricing``, ``exact`` and ``paying`` each add
methods that read and change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .budgets import _Bought
    from .supporters import MesData, Supporters


class RunState:
    data: MesData
    rank: list[int]
    # Each ballot type's group; per group: parent, purchase paid (via), utility rank, float
    # budget and its proven error; ``err`` bounds every group's error.
    group: np.ndarray
    known: dict[int, Any]
    parent: np.ndarray
    via: np.ndarray
    urank: np.ndarray
    budget_f: np.ndarray
    err_f: np.ndarray
    err: float
    groups: int
    bought: list[_Bought]
    forced: int
    remaining: set[int]
    dirty: set[int]
    upper: dict[int, float]
    held_now: dict[int, tuple]
    entry: dict[int, tuple]
    exact: dict[int, tuple]
    heap: list[tuple]

    if TYPE_CHECKING:

        def value(self, g: int) -> Any: ...
        def price_paid(self, index: int) -> Any: ...
        def money_held(self, groups: Any, counts: Any) -> Any: ...
        def new_groups(self, count: int) -> int: ...
        def _fill(self, s: Supporters, v: Any, rho: float) -> Any: ...
        def refresh(self, p: int, push: bool = True) -> bool: ...
        def upper_bound(self, p: int) -> float | None: ...
        def held(self, p: int) -> Any: ...
        def drop(self, p: int) -> None: ...
        def exact_price(self, p: int) -> Any: ...
