"""UK postcodes: one normal form everywhere (upper case, one space before the inward code)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from localflavor.gb.forms import GBPostcodeField

POSTCODE_FORMAT_HELP = _("Enter a full UK postcode, like CF10 1EP or SW1A 1AA.")

_field = GBPostcodeField()


def normalise_postcode(value: str) -> str:
    """Return the postcode in normal form, or raise ValidationError with a plain message."""
    try:
        return _field.clean((value or "").strip())
    except ValidationError:
        raise ValidationError(
            _("Enter a real UK postcode, like CF10 1EP or SW1A 1AA."), code="invalid_postcode"
        ) from None


def validate_postcode(value: str) -> None:
    if value != normalise_postcode(value):
        raise ValidationError(
            _("Postcodes are stored in capitals with one space, like CF10 1EP."),
            code="postcode_not_normal",
        )
