from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.bilingual import Bilingual, welsh_text_field
from accounts.models import LANGUAGE_CHOICES
from budgets.money import format_pence

TITLE_MAX = 80
SUMMARY_MAX = 160
DESCRIPTION_MAX = 3000


def cost_within_envelope(cost_pence: int | None, envelope) -> None:
    """No proposal may cost more than its envelope holds: the one home of that rule, used
    by the model's clean() (resident's and council's costs), the idea form and the admin."""
    if cost_pence is not None and cost_pence > envelope.amount_pence:
        raise ValidationError(
            _("The cost cannot be more than %(neighbourhood)s's whole share, %(amount)s."),
            code="more_than_envelope",
            params={
                "neighbourhood": envelope.neighbourhood.local.name,
                "amount": format_pence(envelope.amount_pence),
            },
        )


# What a proposal costs on the ballot and in the count: the council's figure when an
# officer set one, else the resident's estimate. The SQL form of effective_cost_pence.
EFFECTIVE_COST = Coalesce("adjusted_cost_pence", "cost_pence")


class ProposalQuerySet(models.QuerySet):
    def for_envelope(self, envelope):
        return self.filter(envelope=envelope)

    def public(self):
        """Ideas anyone may browse: checked by an officer (or submitted, in a round that
        shows ideas before review), and not withdrawn, hidden or merged."""
        shown = Q(status__in=Proposal.CHECKED_STATUSES) | Q(
            status=Proposal.Status.SUBMITTED, envelope__round__show_ideas_before_review=True
        )
        return self.filter(shown, hidden=False, merged_into=None)

    def counting_against_limit(self):
        """The ideas that count towards one resident's limit in a round: drafts do not."""
        return self.exclude(status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN])

    def with_effective_cost(self):
        return self.annotate(effective_cost=EFFECTIVE_COST)

    def on_ballot(self, envelope):
        """The proposals on an envelope's ballot, each annotated with ``effective_cost``."""
        return self.filter(
            envelope=envelope, status=Proposal.Status.ON_BALLOT
        ).with_effective_cost()


class Proposal(Bilingual, models.Model):
    """A resident's idea for spending their neighbourhood's envelope."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        FEASIBLE = "feasible", _("Can be done")
        NOT_FEASIBLE = "not_feasible", _("Cannot be done")
        ON_BALLOT = "on_ballot", _("On the ballot")
        FUNDED = "funded", _("Funded")
        NOT_FUNDED = "not_funded", _("Not funded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Category(models.TextChoices):
        GREEN_SPACES = "green_spaces", _("Green spaces and nature")
        PLAY_AND_YOUNG_PEOPLE = "play_young_people", _("Play and young people")
        STREETS_AND_SAFETY = "streets_safety", _("Streets and safety")
        COMMUNITY_SPACES = "community_spaces", _("Community spaces")
        EVENTS_AND_CULTURE = "events_culture", _("Events and culture")
        OLDER_PEOPLE = "older_people", _("Older people")
        OTHER = "other", _("Something else")

    # Statuses an officer has decided on; ideas in them are public.
    CHECKED_STATUSES = [
        Status.FEASIBLE,
        Status.NOT_FEASIBLE,
        Status.ON_BALLOT,
        Status.FUNDED,
        Status.NOT_FUNDED,
    ]
    PUBLIC_STATUSES = [
        Status.SUBMITTED,
        Status.FEASIBLE,
        Status.NOT_FEASIBLE,
        Status.ON_BALLOT,
        Status.FUNDED,
        Status.NOT_FUNDED,
    ]

    envelope = models.ForeignKey(
        "budgets.Envelope",
        verbose_name=_("envelope"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    submitted_by_anchor = models.ForeignKey(
        "neighbourhoods.AnchorOrganisation",
        verbose_name=_("entered by anchor organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals_entered",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by (staff)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals_entered",
    )
    resident_name = models.CharField(
        _("resident's name"),
        max_length=80,
        blank=True,
        help_text=_("For ideas entered by anchor staff on a resident's behalf."),
    )
    resident_email = models.EmailField(_("resident's email"), blank=True)
    language = models.CharField(
        _("language it was written in"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        default="en-gb",
        help_text=_("The language of the page it was written on; its text is marked with it."),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    cost_pence = models.PositiveBigIntegerField(_("estimated cost (pence)"))
    adjusted_cost_pence = models.PositiveBigIntegerField(
        _("council's cost (pence)"), null=True, blank=True
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    review_reason = models.TextField(
        _("reason for the decision (public)"), max_length=DESCRIPTION_MAX, blank=True
    )
    review_reason_cy = welsh_text_field(
        _("reason for the decision in Welsh (public)"), max_length=DESCRIPTION_MAX
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("why it is hidden (public)"), max_length=500, blank=True)
    hidden_reason_cy = welsh_text_field(_("why it is hidden, in Welsh (public)"), max_length=500)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
    )
    photo = models.ImageField(_("photo"), upload_to="proposals/%Y/%m/", blank=True)
    photo_description = models.CharField(_("what the photo shows"), max_length=200, blank=True)
    location_description = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["resident_email"])

    # Officers' words; the resident's own title and text keep ``language`` instead.
    bilingual_fields = ("review_reason", "hidden_reason")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["envelope", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_pence__gt=0),
                name="proposals_cost_positive",
                violation_error_message=_("The cost must be more than £0."),
            ),
            models.CheckConstraint(
                condition=Q(adjusted_cost_pence__isnull=True) | Q(adjusted_cost_pence__gt=0),
                name="proposals_adjusted_cost_positive",
                violation_error_message=_("The adjusted cost must be more than £0, or left empty."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="proposals_latitude_in_range",
                violation_error_message=_("The latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="proposals_longitude_in_range",
                violation_error_message=_("The longitude must be between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="proposals_latitude_and_longitude_together",
                violation_error_message=_("Enter both the latitude and the longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""),
                name="proposals_hidden_needs_reason",
                violation_error_message=_(
                    "Say why the idea is hidden: the reason is shown in its place."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_feasible") | ~Q(review_reason=""),
                name="proposals_not_feasible_needs_reason",
                violation_error_message=_(
                    "Say why the idea cannot be done: the resident is told the reason."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(submitted_at__isnull=False)
                # A draft withdrawn before submission never got a submission time.
                | Q(status="withdrawn"),
                name="proposals_submitted_at_once_submitted",
                violation_error_message=_(
                    "An idea that has been sent in needs the time it was sent in."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")),
                name="proposals_not_merged_into_itself",
                violation_error_message=_("An idea cannot be joined with itself."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals-detail", kwargs={"pk": self.pk})

    def clean(self):
        errors: dict[str, Any] = {}
        for field in ("cost_pence", "adjusted_cost_pence") if self.envelope_id else ():
            try:
                cost_within_envelope(getattr(self, field), self.envelope)
            except ValidationError as error:
                errors[field] = error
        if self.merged_into is not None and self.merged_into.envelope_id != self.envelope_id:
            errors["merged_into"] = _("Only ideas for the same neighbourhood can be joined.")
        if errors:
            raise ValidationError(errors)

    @property
    def effective_cost_pence(self) -> int:
        """See EFFECTIVE_COST (adjusted_cost_pence is never 0: a constraint says so)."""
        return self.adjusted_cost_pence or self.cost_pence

    @property
    def author_name(self) -> str:
        if self.author is not None:
            return str(self.author.display_name or _("A resident"))
        return str(self.resident_name or _("A resident"))

    @property
    def is_public(self) -> bool:
        shown = self.status in self.CHECKED_STATUSES or (
            self.status == self.Status.SUBMITTED and self.envelope.round.show_ideas_before_review
        )
        return shown and not self.hidden and not self.merged_into_id

    @property
    def is_waiting_to_be_shown(self) -> bool:
        """Submitted, but kept private until an officer has checked it."""
        return self.status == self.Status.SUBMITTED and not self.is_public and not self.hidden


class ProposalReport(models.Model):
    """Anyone's report that an idea should not be on the website; officers deal with it.
    It keeps nothing about who reported."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("It is offensive, abusive or hateful")
        PERSONAL = "personal", _("It names someone or shares personal details")
        MISLEADING = "misleading", _("It is false or misleading")
        SPAM = "spam", _("It is advertising or spam")
        OTHER = "other", _("Something else")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    details = models.TextField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    dealt_with = models.BooleanField(_("dealt with"), default=False)

    class Meta:
        ordering = ["dealt_with", "-created_at"]
        verbose_name = _("report of an idea")
        verbose_name_plural = _("reports of ideas")

    def __str__(self):
        return f"{self.proposal} · {self.get_reason_display()}"
