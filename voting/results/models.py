"""Each envelope's counted outcome: stored once, by the database's own guarantee."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EnvelopeCount(models.Model):
    """The outcome of counting one envelope's ballots; at most one per envelope."""

    envelope = models.OneToOneField(
        "budgets.Envelope",
        verbose_name=_("envelope"),
        on_delete=models.PROTECT,
        related_name="outcome",
    )
    rule = models.CharField(_("counting rule"), max_length=40)
    tie_break = models.CharField(_("tie-break"), max_length=20)
    vote_type = models.CharField(_("ballot type"), max_length=20)
    input_sha256 = models.CharField(
        _("SHA-256 of the canonical ballot file"), max_length=64, editable=False
    )
    ballot_count = models.PositiveIntegerField(_("ballots counted"))
    budget_pence = models.PositiveBigIntegerField(_("budget (pence)"))
    total_cost_pence = models.PositiveBigIntegerField(_("spent (pence)"))
    engine_version = models.CharField(_("counting engine version"), max_length=40)
    details = models.JSONField(_("details from the rule"), default=dict, blank=True)
    # Random, secret-free seed of the download order, drawn once so the files are stable.
    shuffle_seed = models.CharField(max_length=32, editable=False)
    counted_at = models.DateTimeField(_("counted"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["envelope__round", "envelope__neighbourhood__name"]
        verbose_name = _("envelope count")
        verbose_name_plural = _("envelope counts")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_cost_pence__lte=F("budget_pence")),
                name="voting_count_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(input_sha256__regex=r"^[0-9a-f]{64}$"),
                name="voting_count_sha256_is_hex",
            ),
        ]

    def __str__(self):
        return str(self.envelope)

    @property
    def left_pence(self) -> int:
        return self.budget_pence - self.total_cost_pence

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ProposalResult(models.Model):
    """One proposal's line in an envelope's outcome: its votes and why it won or lost."""

    outcome = models.ForeignKey(
        EnvelopeCount, on_delete=models.CASCADE, related_name="proposal_results"
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="results"
    )
    votes = models.PositiveIntegerField(_("votes"))
    points = models.PositiveBigIntegerField(
        _("points"), help_text=_("Equal to the votes unless voters spread points.")
    )
    cost_pence = models.PositiveBigIntegerField(_("cost (pence)"))
    funded = models.BooleanField(_("funded"))
    # The order in which the rule funded it (1 = first); empty when not funded.
    funded_order = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.CharField(_("reason code"), max_length=40)
    reason_text = models.TextField(_("why it won or lost"))
    # The amounts in the reason ("cost", "left" in pence, exact; "next" a proposal id),
    # so the results page can word it in the reader's language.
    reason_values = models.JSONField(_("amounts in the reason"), default=dict, blank=True)
    rank = models.PositiveSmallIntegerField(_("place in the results table"))

    class Meta:
        ordering = ["outcome", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "proposal"], name="voting_one_result_per_proposal"
            ),
            models.UniqueConstraint(fields=["outcome", "rank"], name="voting_unique_result_rank"),
            models.CheckConstraint(
                condition=Q(funded=True, funded_order__isnull=False)
                | Q(funded=False, funded_order__isnull=True),
                name="voting_funded_has_order",
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.votes}"
