"""Decimals in a ``.pb`` file, read and written exactly (never through a float)."""

from __future__ import annotations

import re
from fractions import Fraction

from ..model import Number, PbFormatError

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def parse_number(text: str, what: str, line: int, *, negative_ok: bool = False) -> Number:
    """Parse a decimal such as ``2458488.22`` (or ``2458488,22``) exactly."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise PbFormatError(f"{what} {text!r} is not a number", line)
    if "." in text or "," in text:
        value: Number = Fraction(text.replace(",", "."))
        if value.denominator == 1:
            value = int(value)
    else:
        value = int(text)
    if value < 0 and not negative_ok:
        raise PbFormatError(f"{what} {text!r} is negative", line)
    return value


def format_number(value: Number) -> str:
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        # Keep the decimal form when it is exact, as pabulib files do.
        denominator = value.denominator
        twos = fives = 0
        while denominator % 2 == 0:
            denominator //= 2
            twos += 1
        while denominator % 5 == 0:
            denominator //= 5
            fives += 1
        if denominator != 1:
            raise ValueError(f"{value} has no exact decimal form")
        digits = max(twos, fives)
        scaled = value * 10**digits
        sign = "-" if scaled < 0 else ""
        whole, frac = divmod(abs(int(scaled)), 10**digits)
        return f"{sign}{whole}.{frac:0{digits}d}"
    return str(int(value))
