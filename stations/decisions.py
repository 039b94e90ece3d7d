"""What every officer's decision in the stations app keeps, in one place.

A held declaration (approve or reject), an offline ballot refused when it arrived
(accept or reject) and a paper ballot batch (differences decided, or withdrawn) are
each decided by a council officer. Each keeps who decided, when, and the reason they
gave, and the database refuses a decision with no decider or a rejection with no
reason. Each model keeps its own state field (their states differ), so the shared
constraints are built from the states the model says are decided and rejected.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REASON_NEEDED = _("Give the reason for rejecting it.")


class OfficerDecision(models.Model):
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        abstract = True


def decision_constraints(
    *,
    prefix: str,
    decided: Q,
    rejected: Q,
    undecided: Q | None = None,
    reason_message=REASON_NEEDED,
) -> list[models.BaseConstraint]:
    """The two rules of every decision, named ``<prefix>_decided_has_decider`` and
    ``<prefix>_rejection_has_reason`` (the names the database keeps).

    ``decided``: the states an officer has decided (they need who and when);
    ``undecided``: states that must not have a decision time yet, if the model has any;
    ``rejected``: the states that need a reason.
    """
    with_decider = decided & Q(decided_at__isnull=False, decided_by__isnull=False)
    if undecided is None:
        has_decider = ~decided | with_decider
    else:
        has_decider = undecided & Q(decided_at__isnull=True) | with_decider
    return [
        models.CheckConstraint(
            condition=has_decider,
            name=f"{prefix}_decided_has_decider",
            violation_error_code="decision_without_decider",
            violation_error_message=_("A decision must record which officer took it, and when."),
        ),
        models.CheckConstraint(
            condition=~rejected | ~Q(decision_note=""),
            name=f"{prefix}_rejection_has_reason",
            violation_error_code="rejection_without_reason",
            violation_error_message=reason_message,
        ),
    ]
