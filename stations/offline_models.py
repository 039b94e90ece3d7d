"""The kiosk's offline path: the key a station session's tablet encrypts its queue with,
and what became of each ballot the tablet kept while it had no network.

Imported by ``stations.models``; kept apart so the offline path is easy to find.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stations.decisions import OfficerDecision, decision_constraints


class OfflineKit(models.Model):
    """What a station session's tablet needs to work offline, made when staff open it.

    ``key`` is the AES-GCM key the tablet encrypts queued ballots with (it holds it as a
    non-extractable, encrypt-only WebCrypto key, so nothing on the tablet can decrypt);
    ``pin_*`` lets the tablet check the staff PIN with no network (PBKDF2-SHA256).
    """

    session = models.OneToOneField(
        "stations.StationSession", on_delete=models.PROTECT, related_name="offline_kit"
    )
    key = models.BinaryField(max_length=32, editable=False)
    pin_salt = models.CharField(max_length=32, blank=True, editable=False)
    pin_hash = models.CharField(max_length=64, blank=True, editable=False)
    pin_iterations = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("offline kit")
        verbose_name_plural = _("offline kits")

    def __str__(self):
        return str(self.session)


class OfflineBallot(OfficerDecision):
    """A ballot cast on a tablet with no network, as the server found it when it came.

    COUNTED and HELD (a similar declaration: see HeldDeclaration) went the usual way.
    REFUSED failed the register's check at sync: it is not counted, and an officer
    decides it. Until then its sealed choices and who the voter said they were are kept;
    once decided, both are erased.
    """

    class Outcome(models.TextChoices):
        COUNTED = "counted", _("Counted")
        HELD = "held", _("Held for an officer (declaration)")
        REFUSED = "refused", _("Refused when it arrived")

    class Decision(models.TextChoices):
        NONE = "", _("Nothing to decide")
        PENDING = "pending", _("Waiting for an officer")
        ACCEPTED = "accepted", _("Accepted: ballot counted")
        REJECTED = "rejected", _("Rejected: ballot not counted")

    session = models.ForeignKey(
        "stations.StationSession",
        verbose_name=_("station session"),
        on_delete=models.PROTECT,
        related_name="offline_ballots",
    )
    key = models.UUIDField(_("idempotency key"), unique=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    why_refused = models.TextField(_("why it was refused"), blank=True)
    arrived_at = models.DateTimeField(_("arrived"), default=timezone.now)
    envelope = models.ForeignKey(
        "budgets.Envelope", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Kept only while an officer has a refused ballot to decide.
    method = models.CharField(_("checked by"), max_length=12, blank=True)
    sealed_voter = models.JSONField(default=dict, blank=True, editable=False)
    sealed_choices = models.JSONField(default=dict, blank=True, editable=False)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision, default=Decision.NONE, blank=True
    )

    class Meta:
        ordering = ["-arrived_at"]
        verbose_name = _("offline ballot")
        verbose_name_plural = _("offline ballots")
        constraints = [
            # Every refused ballot is an officer's to decide; nothing else is.
            models.CheckConstraint(
                condition=Q(outcome="refused", decision__in=["pending", "accepted", "rejected"])
                | Q(~Q(outcome="refused"), decision=""),
                name="stations_offline_refused_needs_decision",
            ),
            *decision_constraints(
                prefix="stations_offline",
                undecided=Q(decision__in=["", "pending"]),
                decided=Q(decision__in=["accepted", "rejected"]),
                rejected=Q(decision="rejected"),
            ),
        ]

    def __str__(self):
        arrived = date_format(timezone.localtime(self.arrived_at), "j M H:i")
        return f"{self.get_outcome_display()} ({arrived})"
