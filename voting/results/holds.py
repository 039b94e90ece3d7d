"""What must be settled before a round is counted.

Apps above voting (stations' paper ballot batches) register a check when they are ready;
voting cannot import them. Every way into a count asks here: "Count now", the count that
starts as voting closes, the beat job that resumes lost counts, and each envelope's
count under its lock.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# round id -> sentences saying what holds the count (empty: nothing does).
HoldCheck = Callable[[int], list[str]]
_checks: list[HoldCheck] = []


def register(check: HoldCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def count_holds(*, round_id: int) -> list[str]:
    return [sentence for check in _checks for sentence in check(round_id)]


def refuse_while_held(*, round_id: int) -> None:
    """Raise ValidationError, saying what to settle, if anything holds the count."""
    holds = count_holds(round_id=round_id)
    if holds:
        raise ValidationError(
            _("This round cannot be counted yet. %(holds)s") % {"holds": " ".join(holds)}
        )
