"""Ballots, kept apart from the people who cast them.

A ``Ballot`` holds choices and a random receipt reference, and is found again only
through ``ballot_key``: a keyed hash of the voter and envelope that needs the server's
``BALLOT_KEY_SECRET``. A ``Participation`` records *that* someone voted (for turnout and
eligibility), never *how*. Nothing in either table links them except that secret.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    POLLING_STATION = "polling_station", _("Polling station")
    PAPER = "paper", _("Paper")


class Ballot(models.Model):
    """One voter's choices in one envelope; replaced in place while voting is open."""

    envelope = models.ForeignKey(
        "budgets.Envelope",
        verbose_name=_("envelope"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    ballot_key = models.CharField(_("ballot key"), max_length=64, editable=False)
    receipt = models.CharField(_("receipt reference"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, default=Channel.ONLINE)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            # One person, one ballot per envelope, whatever the concurrency.
            models.UniqueConstraint(
                fields=["envelope", "ballot_key"], name="voting_one_ballot_per_voter"
            ),
        ]

    def __str__(self):
        return self.receipt


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.PROTECT, related_name="ballot_choices"
    )
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "proposal"], name="voting_proposal_once_per_ballot"
            ),
            models.CheckConstraint(condition=Q(points__gte=1), name="voting_points_positive"),
        ]

    def __str__(self):
        return f"{self.proposal_id} × {self.points}"  # noqa: RUF001


class Participation(models.Model):
    """The register: that a person voted in a round, where and how; never what they chose.

    One row per voter per round, whatever the channel, so nobody has two ballots in one
    round (a resident who moves keeps voting where they first voted). Voters without an
    account (polling stations, paper) have rows with no ``voter``.
    """

    round = models.ForeignKey(
        "budgets.Round", on_delete=models.PROTECT, related_name="participations"
    )
    envelope = models.ForeignKey(
        "budgets.Envelope", on_delete=models.PROTECT, related_name="participations"
    )
    # Emptied when the account is deleted: the ballot stays counted, linked to no one.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    channel = models.CharField(max_length=20, choices=Channel, default=Channel.ONLINE)
    voted_on = models.DateField(
        help_text=_("The day only, so turnout can be shown by day without timing anyone.")
    )

    class Meta:
        constraints = [
            # One person, one ballot per round: casting inserts this row in the ballot's
            # transaction, so two casts in two envelopes of a round cannot both commit.
            models.UniqueConstraint(
                fields=["round", "voter"],
                condition=Q(voter__isnull=False),
                name="voting_one_participation_per_voter_per_round",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} vote on {self.voted_on}"


class SubmissionKey(models.Model):
    """Idempotency keys of accepted ballot submissions: a resend is stored once.

    ``owner`` binds the key to the voter and envelope it was accepted for (a keyed hash,
    see ``voting.keys.submission_owner``): the same key sent for another envelope or by
    another voter is refused, and without the secret nobody can tell whose it was. No
    time is kept, so submissions cannot be matched to ballots by when they came.
    """

    key = models.UUIDField(unique=True)
    owner = models.CharField(max_length=64, editable=False)

    def __str__(self):
        return str(self.key)


def letters_storage():
    """Letters hold live voter codes: kept apart from public media, served to officers only."""
    return storages["letters"]


class VoterCodeBatch(models.Model):
    envelope = models.ForeignKey(
        "budgets.Envelope",
        verbose_name=_("envelope"),
        on_delete=models.PROTECT,
        related_name="voter_code_batches",
    )
    size = models.PositiveIntegerField(_("number of codes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The printable letters, made by a Celery task that counts its progress here.
    letters_pdf = models.FileField(
        _("letters (PDF)"), storage=letters_storage, upload_to="letters/", blank=True
    )
    letters_made = models.PositiveIntegerField(_("letters made so far"), default=0)
    letters_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("batch of voter codes")
        verbose_name_plural = _("batches of voter codes")

    def __str__(self):
        return f"{self.size} codes for {self.envelope}"


class VoterCode(models.Model):
    """A single-use code, posted to a household, that lets one resident vote."""

    batch = models.ForeignKey(VoterCodeBatch, on_delete=models.CASCADE, related_name="codes")
    envelope = models.ForeignKey(
        "budgets.Envelope", on_delete=models.PROTECT, related_name="voter_codes"
    )
    code = models.CharField(max_length=16, unique=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voter_codes",
    )
    used_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(used_by__isnull=True) | Q(used_on__isnull=False),
                name="voting_used_code_has_date",
            ),
            models.UniqueConstraint(
                fields=["envelope", "used_by"],
                condition=Q(used_by__isnull=False),
                name="voting_one_code_per_voter_per_envelope",
            ),
        ]

    def __str__(self):
        return self.code


# Counted outcomes live in their own module; importing them here registers them.
from voting.results.models import EnvelopeCount, ProposalResult  # noqa: E402, F401
