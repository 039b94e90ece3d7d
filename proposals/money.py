"""Pounds as people type them, and pence as the database keeps them. Never floats."""

import re
from decimal import Decimal

# "2500", "2,500", "£2,500.50", "2500.5": commas only in thousands, at most two decimals.
POUNDS_PATTERN = re.compile(
    r"^£?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d{1,2}))?$", re.ASCII
)
MAX_DIGITS = 12


def pounds_to_pence(text: str) -> int:
    """Turn what someone typed into integer pence; ValueError if it is not an amount."""
    cleaned = re.sub(r"\s+", "", text or "")
    match = POUNDS_PATTERN.match(cleaned)
    if match is None:
        raise ValueError(text)
    whole = match["whole"].replace(",", "")
    if len(whole) > MAX_DIGITS:
        raise ValueError(text)
    fraction = (match["fraction"] or "").ljust(2, "0")
    return int(whole) * 100 + int(fraction)


def pence_to_pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100


def format_pence(pence: int | None) -> str:
    """£2,500 for whole pounds, £2,500.50 otherwise; empty for no amount."""
    if pence is None:
        return ""
    pounds, remainder = divmod(int(pence), 100)
    text = f"£{pounds:,}"
    if remainder:
        text += f".{remainder:02d}"
    return text


def pence_to_input(pence: int | None) -> str:
    """Pence as a resident would type it back into a form: 2500 or 2500.50."""
    if pence is None:
        return ""
    pounds, remainder = divmod(int(pence), 100)
    return f"{pounds}.{remainder:02d}" if remainder else str(pounds)
