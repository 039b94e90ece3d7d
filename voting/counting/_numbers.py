"""Exact rational numbers: gmpy2's ``mpq`` when installed, else ``fractions.Fraction``.

Both are exact, so the choice changes the speed of a count, never its outcome.
"""

from __future__ import annotations

from fractions import Fraction

try:  # pragma: no cover - depends on the environment
    from gmpy2 import mpq as Q

    BACKEND = "gmpy2"
except ImportError:  # pragma: no cover - depends on the environment
    Q = Fraction
    BACKEND = "fractions"


def to_fraction(value) -> Fraction:
    """Convert an int or a rational of either backend to ``fractions.Fraction``."""
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(int(value.numerator), int(value.denominator))


def floor_div(numerator, denominator) -> int:
    """``floor(numerator / denominator)`` for rationals of either backend, as an int."""
    x = Q(numerator) / denominator
    return int(x.numerator) // int(x.denominator)
