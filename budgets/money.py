"""Money is integer pence everywhere; these turn it into pounds for people and back."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_POUNDS = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def format_pence(pence: int) -> str:
    """1234550 -> '£12,345.50'; whole pounds drop the pence: 100000 -> '£1,000'."""
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}" + (f".{pennies:02d}" if pennies else "")


def parse_pounds(text: str) -> int:
    """'£2,500.50' -> 250050 pence, exactly. Raises ValidationError for anything else."""
    cleaned = (text or "").strip().replace(" ", "")
    if not _POUNDS.match(cleaned):
        raise ValidationError(
            _("Enter an amount in pounds, like 2500 or 2,500.50."), code="invalid_pounds"
        )
    try:
        amount = Decimal(cleaned.lstrip("£").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise ValidationError(_("Enter an amount in pounds, like 2500 or 2,500.50.")) from None
    return int(amount * 100)


class PoundsField(forms.CharField):
    """A form field people type pounds into; its cleaned value is integer pence."""

    def __init__(self, *, min_pence: int = 0, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.min_pence = min_pence
        self.widget.attrs.update({"inputmode": "decimal", "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_pence(value).lstrip("£")
        return value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        pence = parse_pounds(value)
        if pence < self.min_pence:
            raise ValidationError(
                _("The amount must be at least %(amount)s.")
                % {"amount": format_pence(self.min_pence)}
            )
        return pence
