"""Polling stations: an anchor organisation's place and times for in-person voting.

A ``StationSession`` is one tablet opened as a kiosk for one station. It keeps counts
(ballots, abandoned ballots, voter codes used) so staff can reconcile it when they close
it; refusals and held declarations are rows of their own. Nothing here records what
anyone chose, except a held declaration's sealed ballot until an officer decides it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.bilingual import Bilingual, welsh_char_field, welsh_text_field
from stations.decisions import OfficerDecision, decision_constraints

IDLE_SECONDS_MIN = 10
IDLE_SECONDS_MAX = 1800


class PollingStation(Bilingual, models.Model):
    round = models.ForeignKey(
        "budgets.Round",
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="polling_stations",
    )
    anchor = models.ForeignKey(
        "neighbourhoods.AnchorOrganisation",
        verbose_name=_("anchor organisation"),
        on_delete=models.PROTECT,
        related_name="polling_stations",
    )
    neighbourhoods = models.ManyToManyField(
        "neighbourhoods.Neighbourhood",
        verbose_name=_("neighbourhoods"),
        related_name="polling_stations",
        help_text=_("People living in these neighbourhoods can vote here."),
    )
    place = models.CharField(
        _("place"), max_length=160, help_text=_("For example: Splott Community Centre.")
    )
    place_cy = welsh_char_field(_("place in Welsh"), 160)
    address = models.TextField(_("address"), blank=True)
    address_cy = welsh_text_field(_("address in Welsh"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    idle_seconds = models.PositiveSmallIntegerField(
        _("idle time (seconds)"),
        default=120,
        help_text=_(
            "After this long with nobody touching the tablet, it clears the screen and "
            "goes back to the start. Between %(min)d and %(max)d seconds."
        )
        % {"min": IDLE_SECONDS_MIN, "max": IDLE_SECONDS_MAX},
    )

    history = HistoricalRecords(m2m_fields=[neighbourhoods])

    bilingual_fields = ("place", "address")

    class Meta:
        ordering = ["opens_at", "place"]
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")),
                name="stations_opens_before_closes",
                violation_error_code="closes_before_opens",
                violation_error_message=_("The station must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(idle_seconds__gte=IDLE_SECONDS_MIN, idle_seconds__lte=IDLE_SECONDS_MAX),
                name="stations_idle_seconds_in_range",
                violation_error_code="idle_time_out_of_range",
                violation_error_message=_("The idle time must be between 10 and 1,800 seconds."),
            ),
        ]

    def __str__(self):
        return f"{self.place} ({self.anchor})"

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at


class StationSession(models.Model):
    """One tablet opened as a kiosk for a station, from opening to reconciliation."""

    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    # The tablet's server-side session holds this; the kiosk is bound to nothing else.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    staff_pin = models.CharField(max_length=128, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the platform recorded, counted as it happened.
    ballots_recorded = models.PositiveIntegerField(_("ballots recorded"), default=0)
    abandoned_recorded = models.PositiveIntegerField(
        _("ballots started but not sent (recorded)"), default=0
    )
    codes_used_recorded = models.PositiveIntegerField(_("voter codes used (recorded)"), default=0)
    # Each paper handed out put its voter on the register (services.paper_issue).
    papers_issued_recorded = models.PositiveIntegerField(
        _("paper ballots handed out (recorded)"), default=0
    )
    # What staff counted by hand when closing.
    reported_codes_issued = models.PositiveIntegerField(
        _("voter codes handed out (staff count)"), null=True, blank=True
    )
    reported_ballots = models.PositiveIntegerField(
        _("ballots cast (staff count)"), null=True, blank=True
    )
    reported_spoilt = models.PositiveIntegerField(
        _("spoilt or abandoned (staff count)"), null=True, blank=True
    )
    reported_refusals = models.PositiveIntegerField(
        _("people turned away (staff count)"), null=True, blank=True
    )
    reported_papers = models.PositiveIntegerField(
        _("paper ballots handed out (staff count)"), null=True, blank=True
    )
    closing_note = models.TextField(_("staff note on closing"), blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("station session")
        verbose_name_plural = _("station sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | Q(
                    closed_by__isnull=False,
                    reported_codes_issued__isnull=False,
                    reported_ballots__isnull=False,
                    reported_spoilt__isnull=False,
                    reported_refusals__isnull=False,
                ),
                name="stations_closed_session_has_counts",
            ),
        ]

    def __str__(self):
        opened = date_format(timezone.localtime(self.opened_at), "j M Y H:i")
        return f"{self.station.place}, {opened}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Refusal(models.Model):
    """Someone turned away at a station, and why; never who."""

    class Reason(models.TextChoices):
        ALREADY_VOTED_ONLINE = "voted_online", _("Already voted online")
        ALREADY_VOTED_IN_PERSON = "voted_in_person", _("Already voted in person")
        MATCHES_A_VOTER = "matches_voter", _("Declaration matches someone who has voted")
        CODE_NOT_RECOGNISED = "code_unknown", _("Voter code not recognised here")
        CODE_ALREADY_USED = "code_used", _("Voter code already used")
        TOO_MANY_CODES = "code_tries", _("Too many wrong voter codes")
        LIVES_ELSEWHERE = "lives_elsewhere", _("Lives outside this station's neighbourhoods")
        TOO_YOUNG = "too_young", _("Under the round's minimum age")
        CODE_REQUIRED = "code_required", _("This round needs a voter code")

    session = models.ForeignKey(StationSession, on_delete=models.PROTECT, related_name="refusals")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")

    def __str__(self):
        return self.get_reason_display()


class HeldDeclaration(OfficerDecision):
    """A declaration that might be someone who already voted, held for an officer.

    Its ballot is sealed here and joins the count only if an officer approves; the
    declared details and the sealed choices are erased as soon as it is decided.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an officer")
        APPROVED = "approved", _("Approved: ballot counted")
        REJECTED = "rejected", _("Rejected: ballot not counted")

    session = models.ForeignKey(
        StationSession, on_delete=models.PROTECT, related_name="held_declarations"
    )
    envelope = models.ForeignKey(
        "budgets.Envelope", on_delete=models.PROTECT, related_name="held_declarations"
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    why_held = models.TextField(_("why it was held"))
    sealed_choices = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    held_at = models.DateTimeField(_("held"), default=timezone.now)

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("held declaration")
        verbose_name_plural = _("held declarations")
        constraints = decision_constraints(
            prefix="stations_held",
            undecided=Q(status="pending"),
            decided=~Q(status="pending"),
            rejected=Q(status="rejected"),
        )

    def __str__(self):
        held = date_format(timezone.localtime(self.held_at), "j M H:i")
        return f"{self.get_status_display()} ({held})"


class DeclaredVoter(models.Model):
    """Who a register entry is, for a voter checked by declaration (they have no account).

    The register itself is ``voting.Participation``, one row per person per round across
    every channel; this adds the declared identity in normalised form, unique per round,
    so the same declaration can never be on the register twice. It links to the
    register entry, never to a ballot.
    """

    participation = models.OneToOneField(
        "voting.Participation", on_delete=models.CASCADE, related_name="declared_voter"
    )
    round = models.ForeignKey("budgets.Round", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name (normalised)"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=8)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("declared voter")
        verbose_name_plural = _("declared voters")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "name", "postcode", "date_of_birth"],
                nulls_distinct=False,
                name="stations_one_declared_voter_per_round",
            ),
        ]
        indexes = [models.Index(fields=["round", "postcode"])]

    def __str__(self):
        return f"{self.name}, {self.postcode}"


# The offline path's and paper ballots' models live in their own modules (see their
# docstrings); importing them here registers them.
from stations.offline_models import OfflineBallot, OfflineKit  # noqa: E402
from stations.paper_models import PaperBallot, PaperBatch, PaperEntry, PaperKeying  # noqa: E402

__all__ = [
    "DeclaredVoter",
    "HeldDeclaration",
    "OfflineBallot",
    "OfflineKit",
    "PaperBallot",
    "PaperBatch",
    "PaperEntry",
    "PaperKeying",
    "PollingStation",
    "Refusal",
    "StationSession",
]
