from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Fund(models.Model):
    """A pooled pot of money, such as a levelling-up allocation. Money is integer pence."""

    council = models.ForeignKey(
        "neighbourhoods.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    name = models.CharField(_("name"), max_length=160)
    total_pence = models.PositiveBigIntegerField(_("total (pence)"))
    source = models.TextField(_("where the money comes from"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "name"],
                name="budgets_unique_fund_name",
                violation_error_message=_("This council already has a fund with that name."),
            ),
            models.CheckConstraint(
                condition=Q(total_pence__gt=0),
                name="budgets_fund_total_positive",
                violation_error_message=_("A fund must hold more than £0."),
            ),
        ]

    def __str__(self):
        return self.name


class Round(models.Model):
    """One participatory-budgeting cycle of a fund, with its phases, ballot and counting rules."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSALS_OPEN = "proposals_open", _("Proposals open")
        REVIEW = "review", _("Review")
        VOTING_OPEN = "voting_open", _("Voting open")
        VOTING_CLOSED = "voting_closed", _("Voting closed")
        COUNTED = "counted", _("Counted")
        PUBLISHED = "published", _("Published")

    class BallotRule(models.TextChoices):
        APPROVAL = "approval", _("Approval: choose any number")
        K_APPROVAL = "k_approval", _("Choose up to a set number")
        KNAPSACK = "knapsack", _("Choose proposals that fit the budget")
        CUMULATIVE = "cumulative", _("Spread points")

    class CountingRule(models.TextChoices):
        MES_ADD1_GREEDY = "mes-add1-greedy", _("Method of Equal Shares, completed by votes")
        MES_ADD1 = "mes-add1", _("Method of Equal Shares (with budget increments)")
        MES = "mes", _("Method of Equal Shares (single pass)")
        GREEDY = "greedy", _("Most votes first")
        PHRAGMEN = "phragmen", _("Sequential Phragmén")

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase, default=Phase.DRAFT)
    proposals_open_at = models.DateTimeField(_("proposals open"))
    review_starts_at = models.DateTimeField(_("review starts (proposals close)"))
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    ballot_rule = models.CharField(
        _("ballot rule"), max_length=20, choices=BallotRule, default=BallotRule.KNAPSACK
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most proposals a voter may choose"),
        null=True,
        blank=True,
        help_text=_("Only for 'Choose up to a set number'."),
    )
    points_total = models.PositiveSmallIntegerField(
        _("points each voter spreads"), null=True, blank=True
    )
    points_per_proposal_max = models.PositiveSmallIntegerField(
        _("most points on one proposal"), null=True, blank=True
    )
    counting_rule = models.CharField(
        _("counting rule"),
        max_length=20,
        choices=CountingRule,
        default=CountingRule.MES_ADD1_GREEDY,
    )
    publish_automatically = models.BooleanField(_("publish results automatically"), default=False)
    requires_voter_code = models.BooleanField(
        _("voters need a voter code"),
        default=False,
        help_text=_("For councils that post single-use voter codes to households."),
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age to vote"),
        null=True,
        blank=True,
        help_text=_("If set, voters declare they are at least this old."),
    )

    history = HistoricalRecords()

    RULE_FIELDS = [
        "ballot_rule",
        "max_choices",
        "points_total",
        "points_per_proposal_max",
        "counting_rule",
        "requires_voter_code",
        "minimum_age",
    ]

    class Meta:
        ordering = ["-voting_opens_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "slug"],
                name="budgets_unique_round_slug",
                violation_error_message=_("This fund already has a round with that slug."),
            ),
            models.CheckConstraint(
                condition=Q(proposals_open_at__lt=F("review_starts_at"))
                & Q(review_starts_at__lte=F("voting_opens_at"))
                & Q(voting_opens_at__lt=F("voting_closes_at")),
                name="budgets_round_phase_dates_in_order",
                violation_error_message=_(
                    "The dates must come in order: proposals open, then review starts, then "
                    "voting opens, then voting closes."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(ballot_rule="k_approval")
                | Q(max_choices__isnull=False, max_choices__gte=1),
                name="budgets_round_k_approval_needs_k",
                violation_error_message=_(
                    "For “Choose up to a set number”, give the most proposals a voter may choose."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(ballot_rule="cumulative")
                | Q(
                    points_total__isnull=False,
                    points_total__gte=1,
                    points_per_proposal_max__isnull=False,
                    points_per_proposal_max__gte=1,
                ),
                name="budgets_round_cumulative_needs_points",
                violation_error_message=_(
                    "For “Spread points”, give the points each voter spreads and the most on "
                    "one proposal."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("budgets-round", kwargs={"round_id": self.pk})

    def clean(self):
        if self.pk is None:
            return
        stored = Round.objects.filter(pk=self.pk).values("phase", *self.RULE_FIELDS).first()
        if stored is None or not self.rules_locked(stored["phase"]):
            return
        changed = [f for f in self.RULE_FIELDS if stored[f] != getattr(self, f)]
        if changed:
            message = _("The ballot and counting rules cannot change once the round is open.")
            raise ValidationError({field: message for field in changed})

    @classmethod
    def rules_locked(cls, phase: str) -> bool:
        return phase != cls.Phase.DRAFT

    def phase_timeline(self) -> list[dict]:
        """Each phase with its start date and whether it is done, current or to come."""
        starts = {
            self.Phase.PROPOSALS_OPEN: self.proposals_open_at,
            self.Phase.REVIEW: self.review_starts_at,
            self.Phase.VOTING_OPEN: self.voting_opens_at,
            self.Phase.VOTING_CLOSED: self.voting_closes_at,
        }
        order = list(self.Phase)
        current = order.index(self.phase)
        return [
            {
                "phase": phase,
                "label": phase.label,
                "starts_at": starts.get(phase),
                "state": "done" if i < current else "current" if i == current else "upcoming",
            }
            for i, phase in enumerate(order)
            if phase != self.Phase.DRAFT
        ]


class Envelope(models.Model):
    """A round's money for one neighbourhood, in pence."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="envelopes"
    )
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        verbose_name=_("neighbourhood"),
        on_delete=models.PROTECT,
        related_name="envelopes",
    )
    amount_pence = models.PositiveBigIntegerField(_("amount (pence)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "neighbourhood__name"]
        verbose_name = _("envelope")
        verbose_name_plural = _("envelopes")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "neighbourhood"],
                name="budgets_one_envelope_per_neighbourhood",
                violation_error_message=_(
                    "This round already has an envelope for that neighbourhood."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.neighbourhood}"
