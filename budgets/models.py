from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["council__name", "name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="budgets_unique_fund_name"),
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

    class Meta:
        ordering = ["-voting_opens_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["fund", "slug"], name="budgets_unique_round_slug"),
            models.CheckConstraint(
                condition=Q(proposals_open_at__lt=F("review_starts_at"))
                & Q(review_starts_at__lte=F("voting_opens_at"))
                & Q(voting_opens_at__lt=F("voting_closes_at")),
                name="budgets_round_phase_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_rule="k_approval") | Q(max_choices__gte=1),
                name="budgets_round_k_approval_needs_k",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_rule="cumulative")
                | (Q(points_total__gte=1) & Q(points_per_proposal_max__gte=1)),
                name="budgets_round_cumulative_needs_points",
            ),
        ]

    def __str__(self):
        return self.name


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

    class Meta:
        ordering = ["round", "neighbourhood__name"]
        verbose_name = _("envelope")
        verbose_name_plural = _("envelopes")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "neighbourhood"], name="budgets_one_envelope_per_neighbourhood"
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.neighbourhood}"
