from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.bilingual import Bilingual, welsh_char_field, welsh_text_field


class Fund(Bilingual, models.Model):
    """A pooled pot of money, such as a levelling-up allocation. Money is integer pence."""

    council = models.ForeignKey(
        "neighbourhoods.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    name = models.CharField(_("name"), max_length=160)
    name_cy = welsh_char_field(_("name in Welsh"), 160)
    total_pence = models.PositiveBigIntegerField(_("total (pence)"))
    source = models.TextField(_("where the money comes from"), blank=True)
    source_cy = welsh_text_field(_("where the money comes from, in Welsh"))

    history = HistoricalRecords()

    bilingual_fields = ("name", "source")

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


# One sentence per counting rule for officers choosing it (the results page explains the
# rule at length to residents).
COUNTING_RULE_SENTENCES = {
    "equalshares/add1-comparison": _(
        "Each voter gets an equal share of the money to spend on the proposals they chose, "
        "and the shares are made as big as they can be while the funded proposals still fit "
        "the budget. Then, if more voters prefer what most votes would fund, that is used "
        "instead. Wieliczka counted this way."
    ),
    "equalshares/add1": _(
        "Equal Shares as above, without the comparison with most votes. Świecie and Assen "
        "counted this way."
    ),
    "equalshares/add1-greedy": _(
        "Equal Shares as above, then any money left goes to the proposals with most votes "
        "that still fit."
    ),
    "equalshares": _(
        "Equal Shares with each share exactly the budget divided by the number of voters: "
        "fair, but it often leaves a third of the money unspent."
    ),
    "greedy": _(
        "Proposals in order of votes; each is funded if it still fits, else skipped. Most "
        "cities count this way."
    ),
    "greedy-no-skip": _(
        "Proposals in order of votes, stopping at the first that does not fit, as Gdynia and "
        "Wrocław do."
    ),
    "greedy-threshold": _(
        "Like “Most votes first”, but only proposals with at least the number of votes you "
        "give below, under “fewest votes a proposal needs”, can be funded; this rule needs "
        "that number. Warsaw and Łódź count this way. Choose it when you have told residents "
        "that proposals need a minimum of votes: the results page then explains the minimum "
        "as part of the rule."
    ),
    "phragmen": _(
        "Picture every voter earning money at the same steady rate for the proposals they "
        "chose: a proposal is funded as soon as its voters have earned its cost between "
        "them. Counting stops at the first proposal that does not fit."
    ),
    "mes-add1": _(
        "Equal Shares with the shares made bigger step by step from the exact equal share "
        "until nothing else fits. Kept for rounds opened before November 2026."
    ),
    "mes-add1-greedy": _(
        "As the rule above, then any money left goes by votes. Kept for rounds opened "
        "before November 2026."
    ),
}
EARLIER_COUNTING_RULES = ("mes-add1", "mes-add1-greedy")

ONLY_FOR_K_APPROVAL = _(
    "This is only used with “Choose up to a set number”: leave it empty for this ballot rule."
)
ONLY_FOR_SPREAD_POINTS = _(
    "This is only used with “Spread points”: leave it empty for this ballot rule."
)
# Said by the field's own check and by the database's.
DIVISOR_AT_LEAST_1 = _("Give 1 or more, or leave it empty for no support threshold.")


class Round(Bilingual, models.Model):
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
        """Rules as the cities that use them ran them, in pabulib's names where it has one.

        Each rule's sentence for officers is in ``COUNTING_RULE_SENTENCES``.
        """

        EQUAL_SHARES_ADD1_COMPARISON = (
            "equalshares/add1-comparison",
            _("Equal Shares, checked against most votes (as in Wieliczka)"),
        )
        EQUAL_SHARES_ADD1 = "equalshares/add1", _("Equal Shares (as in Świecie and Assen)")
        EQUAL_SHARES_ADD1_GREEDY = (
            "equalshares/add1-greedy",
            _("Equal Shares, then most votes for money left over"),
        )
        EQUAL_SHARES = "equalshares", _("Equal Shares, plain (often leaves money unspent)")
        GREEDY = "greedy", _("Most votes first")
        GREEDY_NO_SKIP = (
            "greedy-no-skip",
            _("Most votes first, stopping at the first that does not fit"),
        )
        GREEDY_THRESHOLD = "greedy-threshold", _("Most votes first, with a minimum of votes")
        PHRAGMEN = "phragmen", _("Sequential Phragmén")
        # Rounds that left their draft before the rules took pabulib's names keep the rule
        # they opened with; new rounds cannot choose these.
        MES_ADD1 = "mes-add1", _("Equal Shares, stopping once nothing else fits (earlier rounds)")
        MES_ADD1_GREEDY = (
            "mes-add1-greedy",
            _("Equal Shares, stopping once nothing else fits, then most votes (earlier rounds)"),
        )

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=160)
    name_cy = welsh_char_field(_("name in Welsh"), 160)
    slug = models.SlugField(_("slug"), max_length=160)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase, default=Phase.DRAFT)
    proposals_open_at = models.DateTimeField(_("proposals open"))
    review_starts_at = models.DateTimeField(_("review starts (proposals close)"))
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    # When voting actually opened, by date or by an officer's hand (perhaps early).
    voting_opened_at = models.DateTimeField(_("voting opened"), null=True, blank=True)
    # Set by the one service that closes voting (by hand, early or not, or by date):
    # ballots are taken until then, so this, not the plan, is when the vote ended.
    voting_closed_at = models.DateTimeField(
        _("voting closed"), null=True, blank=True, editable=False
    )
    ballot_rule = models.CharField(
        _("ballot rule"), max_length=20, choices=BallotRule, default=BallotRule.KNAPSACK
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most proposals a voter may choose"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, _("The most proposals a voter may choose must be 1 or more."))
        ],
        help_text=_("Only for 'Choose up to a set number'."),
    )
    points_total = models.PositiveSmallIntegerField(
        _("points each voter spreads"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("The points each voter spreads must be 1 or more."))],
    )
    points_per_proposal_max = models.PositiveSmallIntegerField(
        _("most points on one proposal"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("The most points on one proposal must be 1 or more."))],
    )
    counting_rule = models.CharField(
        _("counting rule"),
        max_length=40,
        choices=CountingRule,
        default=CountingRule.EQUAL_SHARES_ADD1_COMPARISON,
        help_text=_(
            "How the votes become funded proposals. Each rule is explained on the results "
            "page; none funds a proposal nobody voted for."
        ),
    )
    min_votes = models.PositiveIntegerField(
        _("fewest votes a proposal needs"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("Give 0 or more, or leave it empty for no minimum."))],
        help_text=_(
            "Proposals with fewer votes (points, for points ballots) are not funded, under "
            "any rule. Needed for 'Most votes first, with a minimum of votes'."
        ),
    )
    cost_share_divisor = models.PositiveSmallIntegerField(
        _("support needed for the cost"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, DIVISOR_AT_LEAST_1)],
        help_text=_(
            "Leave empty for none. If set to N (1 or more), a proposal is funded only if "
            "the share of voters who chose it is at least its share of the budget divided "
            "by N. Świecie used 3: a proposal costing a third of the budget needed a ninth "
            "of the voters."
        ),
    )
    publish_automatically = models.BooleanField(_("publish results automatically"), default=False)
    show_ideas_before_review = models.BooleanField(
        _("show ideas before the council checks them"),
        default=False,
        help_text=_("Otherwise a resident's idea is public only once an officer has checked it."),
    )
    requires_voter_code = models.BooleanField(
        _("voters need a voter code"),
        default=False,
        help_text=_("For councils that post single-use voter codes to households."),
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age to vote"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, _("Give an age in years, or leave it empty for no minimum age."))
        ],
        help_text=_("If set, voters declare they are at least this old."),
    )

    history = HistoricalRecords()

    bilingual_fields = ("name",)
    RULE_FIELDS = [
        "ballot_rule",
        "max_choices",
        "points_total",
        "points_per_proposal_max",
        "counting_rule",
        "min_votes",
        "cost_share_divisor",
        "requires_voter_code",
        "minimum_age",
    ]
    # The planned date each phase begins on. Once a round has reached a phase, that date is
    # on its record (its timeline, its published files) and stays as it was.
    PHASE_DATES = {
        Phase.PROPOSALS_OPEN: "proposals_open_at",
        Phase.REVIEW: "review_starts_at",
        Phase.VOTING_OPEN: "voting_opens_at",
        Phase.VOTING_CLOSED: "voting_closes_at",
    }
    # The fields each constraint below is about. A form shows its message beside the one
    # of them the officer changed, else beside the last (a date out of order is about the
    # later date: earlier ones are fixed first, once their phase has begun).
    CONSTRAINT_FIELDS = {
        "budgets_unique_round_slug": ("slug",),
        "budgets_round_review_after_proposals_open": ("proposals_open_at", "review_starts_at"),
        "budgets_round_voting_opens_after_review_starts": ("review_starts_at", "voting_opens_at"),
        "budgets_round_voting_closes_after_it_opens": ("voting_opens_at", "voting_closes_at"),
        "budgets_round_k_approval_needs_k": ("max_choices",),
        "budgets_round_max_choices_only_for_k_approval": ("max_choices",),
        "budgets_round_points_total_only_for_spread_points": ("points_total",),
        "budgets_round_points_max_only_for_spread_points": ("points_per_proposal_max",),
        "budgets_round_cumulative_needs_points_total": ("points_total",),
        "budgets_round_cumulative_needs_points_max": ("points_per_proposal_max",),
        "budgets_round_points_max_within_total": ("points_total", "points_per_proposal_max"),
        "budgets_round_threshold_rule_needs_min_votes": ("min_votes",),
        "budgets_round_cost_share_divisor_at_least_1": ("cost_share_divisor",),
        "budgets_round_phragmen_needs_chosen_proposals": ("counting_rule",),
    }

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
                condition=Q(proposals_open_at__lt=F("review_starts_at")),
                name="budgets_round_review_after_proposals_open",
                violation_error_message=_("Review must start after proposals open."),
            ),
            models.CheckConstraint(
                condition=Q(review_starts_at__lte=F("voting_opens_at")),
                name="budgets_round_voting_opens_after_review_starts",
                violation_error_message=_("Voting cannot open before review starts."),
            ),
            models.CheckConstraint(
                condition=Q(voting_opens_at__lt=F("voting_closes_at")),
                name="budgets_round_voting_closes_after_it_opens",
                violation_error_message=_("Voting must close after it opens."),
            ),
            models.CheckConstraint(
                condition=~Q(ballot_rule="k_approval")
                | Q(max_choices__isnull=False, max_choices__gte=1),
                name="budgets_round_k_approval_needs_k",
                violation_error_message=_(
                    "For “Choose up to a set number”, give the most proposals a voter may choose."
                ),
            ),
            # A setting another ballot rule ignores is refused rather than kept, so that
            # what the round shows is what its ballot does.
            models.CheckConstraint(
                condition=Q(ballot_rule="k_approval") | Q(max_choices__isnull=True),
                name="budgets_round_max_choices_only_for_k_approval",
                violation_error_message=ONLY_FOR_K_APPROVAL,
            ),
            models.CheckConstraint(
                condition=Q(ballot_rule="cumulative") | Q(points_total__isnull=True),
                name="budgets_round_points_total_only_for_spread_points",
                violation_error_message=ONLY_FOR_SPREAD_POINTS,
            ),
            models.CheckConstraint(
                condition=Q(ballot_rule="cumulative") | Q(points_per_proposal_max__isnull=True),
                name="budgets_round_points_max_only_for_spread_points",
                violation_error_message=ONLY_FOR_SPREAD_POINTS,
            ),
            models.CheckConstraint(
                condition=~Q(ballot_rule="cumulative")
                | Q(points_total__isnull=False, points_total__gte=1),
                name="budgets_round_cumulative_needs_points_total",
                violation_error_message=_(
                    "For “Spread points”, give the points each voter spreads."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(ballot_rule="cumulative")
                | Q(points_per_proposal_max__isnull=False, points_per_proposal_max__gte=1),
                name="budgets_round_cumulative_needs_points_max",
                violation_error_message=_(
                    "For “Spread points”, give the most points a voter may put on one proposal."
                ),
            ),
            # A voter could never put more than their points on one proposal.
            models.CheckConstraint(
                condition=Q(points_total__isnull=True)
                | Q(points_per_proposal_max__isnull=True)
                | Q(points_per_proposal_max__lte=F("points_total")),
                name="budgets_round_points_max_within_total",
                violation_error_message=_(
                    "The most points on one proposal cannot be more than the points each "
                    "voter spreads."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(counting_rule="greedy-threshold")
                | Q(min_votes__isnull=False, min_votes__gte=1),
                name="budgets_round_threshold_rule_needs_min_votes",
                violation_error_message=_(
                    "Give the fewest votes a proposal needs, 1 or more: the rule “Most votes "
                    "first, with a minimum of votes” funds only proposals with at least that "
                    "many."
                ),
            ),
            models.CheckConstraint(
                condition=Q(cost_share_divisor__isnull=True) | Q(cost_share_divisor__gte=1),
                name="budgets_round_cost_share_divisor_at_least_1",
                violation_error_message=DIVISOR_AT_LEAST_1,
            ),
            # Phragmén's rule is defined for ballots that choose proposals, not for points
            # (the count would refuse the round once voting had closed).
            models.CheckConstraint(
                condition=~Q(counting_rule="phragmen", ballot_rule="cumulative"),
                name="budgets_round_phragmen_needs_chosen_proposals",
                violation_error_message=_(
                    "“Sequential Phragmén” counts ballots that choose proposals, not “Spread "
                    "points”: choose another ballot rule or counting rule."
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
        stored = (
            Round.objects.filter(pk=self.pk)
            .values("phase", *self.RULE_FIELDS, *self.PHASE_DATES.values())
            .first()
        )
        if stored is None:
            return
        errors: dict[str, Promise] = {}
        if self.rules_locked(stored["phase"]):
            message = _("The ballot and counting rules cannot change once the round is open.")
            errors |= {f: message for f in self.RULE_FIELDS if stored[f] != getattr(self, f)}
        fixed = self.fixed_dates(stored["phase"])
        message = _("This date cannot change: its phase has begun.")
        errors |= {f: message for f in fixed if stored[f] != getattr(self, f)}
        if errors:
            raise ValidationError(errors)

    def counting_rule_choices_explained(self) -> list[tuple[str, str | Promise, Promise]]:
        """Each counting rule's value, name and sentence, for the officer choosing one; the
        earlier rules only for a round that has one."""
        return [
            (value, label, COUNTING_RULE_SENTENCES[value])
            for value, label in self.CountingRule.choices
            if value not in EARLIER_COUNTING_RULES or value == self.counting_rule
        ]

    @property
    def counting_rule_sentence(self) -> str:
        return str(COUNTING_RULE_SENTENCES.get(self.counting_rule, ""))

    @classmethod
    def rules_locked(cls, phase: str) -> bool:
        return phase != cls.Phase.DRAFT

    @classmethod
    def fixed_dates(cls, phase: str) -> list[str]:
        """The planned dates of the phases a round in ``phase`` has begun (PHASE_DATES);
        the dates still to come may move, to extend a deadline."""
        order: list[str] = list(cls.Phase)
        return [
            field
            for begins, field in cls.PHASE_DATES.items()
            if order.index(phase) >= order.index(begins)
        ]

    @property
    def voting_began_at(self):
        """When voting opened (perhaps early, by hand), or, before it has, when it is
        planned to."""
        return self.voting_opened_at or self.voting_opens_at

    @property
    def voting_ended_at(self):
        """When voting closed, or, before it has, when it is planned to."""
        return self.voting_closed_at or self.voting_closes_at

    @property
    def resident_phase_label(self) -> str | Promise:
        """The round's phase in residents' words (a closed vote is still being counted)."""
        phase = (
            self.Phase.COUNTED if self.phase == self.Phase.VOTING_CLOSED else self.Phase(self.phase)
        )
        return RESIDENT_PHASE_LABELS.get(phase, self.get_phase_display())

    def phase_timeline(self) -> list[dict]:
        """Each phase with its start date and whether it is done, current or to come."""
        starts = {
            self.Phase.PROPOSALS_OPEN: self.proposals_open_at,
            self.Phase.REVIEW: self.review_starts_at,
            self.Phase.VOTING_OPEN: self.voting_began_at,
            self.Phase.VOTING_CLOSED: self.voting_ended_at,
        }
        order = list(self.Phase)
        current = order.index(self.Phase(self.phase))
        return [
            {
                "phase": phase,
                "label": RESIDENT_PHASE_LABELS.get(phase, phase.label),
                "starts_at": starts.get(phase),
                "state": "done" if i < current else "current" if i == current else "upcoming",
            }
            for i, phase in enumerate(order)
            if phase != self.Phase.DRAFT
        ]


# A round's phases as residents read them on its timeline and its card, in their word
# ("ideas"); the officers' names (Round.Phase) stay in the admin.
RESIDENT_PHASE_LABELS = {
    Round.Phase.PROPOSALS_OPEN: _("Taking ideas"),
    Round.Phase.REVIEW: _("Checking the ideas"),
    Round.Phase.COUNTED: _("Counting the votes"),
    Round.Phase.PUBLISHED: _("Results published"),
}


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
