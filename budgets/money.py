"""Money is integer pence everywhere; these turn it into pounds for people and back.

Never floats: amounts are parsed from their digits.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# "2500", "2,500", "£2,500.50", "2500.5": commas only in thousands, at most two decimals.
POUNDS_PATTERN = re.compile(
    r"^£?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d{1,2}))?$", re.ASCII
)
MAX_DIGITS = 12
INVALID_POUNDS = _("Enter an amount in pounds, like 2500 or 2,500.50.")


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


def parse_pounds(text: str) -> int:
    """Like pounds_to_pence, but refuses with a message for the person who typed it."""
    try:
        return pounds_to_pence(text)
    except ValueError:
        raise ValidationError(INVALID_POUNDS, code="invalid_pounds") from None


def format_pence(pence: int | None) -> str:
    """£2,500 for whole pounds, £2,500.50 otherwise; empty for no amount. The separators
    are the active language's (Django's locale formats)."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pence = abs(int(pence))
    places = 2 if pence % 100 else 0
    return f"{sign}£{number_format(Decimal(pence) / 100, places, force_grouping=True)}"


def pence_to_input(pence: int | None) -> str:
    """Pence as someone would type it back into a form: 2500 or 2500.50."""
    if pence is None:
        return ""
    pounds, remainder = divmod(int(pence), 100)
    return f"{pounds}.{remainder:02d}" if remainder else str(pounds)


class PoundsField(forms.CharField):
    """A form field people type pounds into; its cleaned value is integer pence.

    The one such field: pass ``error_messages`` with "invalid" or "too_small" to word a
    refusal for its form (a negative amount is refused as too small, not as a typo).
    """

    default_error_messages = {
        "invalid": INVALID_POUNDS,
        "too_small": _("The amount must be at least %(amount)s."),
    }

    def __init__(self, *, min_pence: int = 0, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.min_pence = min_pence
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def prepare_value(self, value):
        return pence_to_input(value) if isinstance(value, int) else value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        negative = value.strip().startswith("-")
        try:
            pence = pounds_to_pence(value.strip().removeprefix("-"))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if negative or pence < self.min_pence:
            raise ValidationError(
                self.error_messages["too_small"],
                code="too_small",
                params={"amount": format_pence(self.min_pence)},
            )
        return pence
