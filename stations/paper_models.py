"""Paper ballots: whole ballots keyed in batches, each batch twice by two people.

A ``PaperBatch`` is the papers of one envelope from one station session or one postal
return. Two people each key every paper (a ``PaperKeying`` of ``PaperEntry`` rows); when
both have finished, the batch is compared. Papers both keyed the same are checked; any
that differ wait for a third person, who decides each from the paper itself. Only then
does the batch count: its ``PaperBallot`` rows are the papers as checked, and each one
that is not spoilt is stored as a ``voting.Ballot`` (channel "paper") with an anonymous
register entry. Until every batch of a round is checked or withdrawn, the round cannot
be counted (``stations.paper`` tells voting so; a trigger on the count table holds the
same rule in the database).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stations.decisions import OfficerDecision, decision_constraints

PAPERS_MAX = 500


class PaperBatch(OfficerDecision):
    """Its decision: a third person decides the papers the keyings read differently, or an
    officer withdraws it (with the reason, in ``decision_note``)."""

    class Status(models.TextChoices):
        KEYING = "keying", _("Being keyed")
        MISMATCHED = "mismatched", _("Keyings differ: waiting for a decision")
        CHECKED = "checked", _("Checked: counted")
        WITHDRAWN = "withdrawn", _("Withdrawn: not counted")

    envelope = models.ForeignKey(
        "budgets.Envelope",
        verbose_name=_("envelope"),
        on_delete=models.PROTECT,
        related_name="paper_batches",
    )
    session = models.ForeignKey(
        "stations.StationSession",
        verbose_name=_("station session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paper_batches",
    )
    postal_return = models.CharField(
        _("postal return"),
        max_length=120,
        blank=True,
        help_text=_("For papers returned by post: which return, for example “post of 3 June”."),
    )
    papers = models.PositiveSmallIntegerField(_("papers in the batch"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.KEYING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("paper ballot batch")
        verbose_name_plural = _("paper ballot batches")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, postal_return="")
                | Q(session__isnull=True) & ~Q(postal_return=""),
                name="stations_paper_batch_one_source",
            ),
            models.CheckConstraint(
                condition=Q(papers__gte=1, papers__lte=PAPERS_MAX),
                name="stations_paper_batch_size",
            ),
            models.CheckConstraint(
                condition=~Q(status="checked") | Q(checked_at__isnull=False),
                name="stations_paper_batch_checked_at",
            ),
            *decision_constraints(
                prefix="stations_paper_batch",
                decided=Q(status="withdrawn"),
                rejected=Q(status="withdrawn"),
                reason_message=_("Give the reason for withdrawing the batch."),
            ),
        ]

    def __str__(self):
        source = str(self.session) if self.session_id else self.postal_return
        return f"#{self.pk} {source}"

    @property
    def is_settled(self) -> bool:
        return self.status in (self.Status.CHECKED, self.Status.WITHDRAWN)


class PaperKeying(models.Model):
    """One person's keying of every paper in a batch: the first or the second."""

    batch = models.ForeignKey(PaperBatch, on_delete=models.PROTECT, related_name="keyings")
    number = models.PositiveSmallIntegerField(_("keying"))
    keyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("keyed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__in=[1, 2]), name="stations_paper_two_keyings"
            ),
            models.UniqueConstraint(fields=["batch", "number"], name="stations_paper_keying_once"),
            # The two keyings are by two different people.
            models.UniqueConstraint(
                fields=["batch", "keyed_by"], name="stations_paper_keyer_once_per_batch"
            ),
        ]

    def __str__(self):
        return f"{self.batch_id}/{self.number}"


class PaperEntry(models.Model):
    """One paper as one person keyed it: its choices, or spoilt with a reason."""

    keying = models.ForeignKey(PaperKeying, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveSmallIntegerField(_("paper number"))
    # proposal id (as text) -> points; empty for a spoilt paper.
    choices = models.JSONField(default=dict, blank=True)
    spoilt_reason = models.CharField(_("why it is spoilt or unclear"), max_length=200, blank=True)

    class Meta:
        ordering = ["keying", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["keying", "position"], name="stations_paper_entry_once"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="stations_paper_entry_position"
            ),
            models.CheckConstraint(
                condition=Q(spoilt_reason="") & ~Q(choices={})
                | ~Q(spoilt_reason="") & Q(choices={}),
                name="stations_paper_entry_choices_or_spoilt",
            ),
        ]

    def __str__(self):
        return f"{self.keying}/{self.position}"


class PaperBallot(models.Model):
    """One paper of a batch as checked: what both keyings agreed, or what a third person
    decided where they differed (``decided_by``)."""

    batch = models.ForeignKey(PaperBatch, on_delete=models.PROTECT, related_name="checked_papers")
    position = models.PositiveSmallIntegerField(_("paper number"))
    choices = models.JSONField(default=dict, blank=True)
    spoilt_reason = models.CharField(_("why it is spoilt or unclear"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="stations_paper_ballot_once"
            ),
            models.CheckConstraint(
                condition=Q(spoilt_reason="") & ~Q(choices={})
                | ~Q(spoilt_reason="") & Q(choices={}),
                name="stations_paper_ballot_choices_or_spoilt",
            ),
        ]

    def __str__(self):
        return f"{self.batch_id}/{self.position}"

    @property
    def spoilt(self) -> bool:
        return bool(self.spoilt_reason)
