"""UK postcodes: one normal form everywhere (upper case, one space before the inward code)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from localflavor.gb.forms import GBPostcodeField

# A format, not an example: a real postcode would look like one that ought to work here.
POSTCODE_FORMAT_HELP = _("Enter your full postcode, in the form AB1 2CD or AB12 3CD.")

_field = GBPostcodeField()


# The first half of a postcode on its own, like "CF24" or "SW1A": someone's district.
OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def outward_code(value: str) -> str | None:
    """The district, when ``value`` is only the first half of a postcode; else None."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return compact if OUTWARD_CODE.match(compact) else None


def normalise_postcode(value: str) -> str:
    """Return the postcode in normal form, or raise ValidationError with a plain message."""
    if district := outward_code(value):
        raise ValidationError(
            _(
                "%(district)s is only the first half of a postcode. "
                "Enter your full postcode, like CF24 2AB."
            ),
            code="partial_postcode",
            params={"district": district},
        )
    try:
        return _field.clean((value or "").strip())
    except ValidationError:
        raise ValidationError(
            _("Enter a real UK postcode, in the form AB1 2CD or AB12 3CD."), code="invalid_postcode"
        ) from None


def validate_postcode(value: str) -> None:
    if value != normalise_postcode(value):
        raise ValidationError(
            _("Postcodes are stored in capitals with one space, like CF10 1EP."),
            code="postcode_not_normal",
        )
