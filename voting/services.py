"""Casting, replacing and protecting ballots."""

import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import outbox
from accounts.bilingual import LocalisedText
from budgets.locks import round_hold_open_statement
from budgets.models import Envelope
from config.events import record_refusal
from config.sql import CompiledRows, rows_together
from neighbourhoods.models import Neighbourhood
from proposals.models import Proposal
from voting import code_attempts
from voting.eligibility import (
    envelope_for_voter_from,
    envelope_for_voter_statement,
    needs_voter_code,
    voted_elsewhere_reason,
    why_cannot_vote,
)
from voting.keys import (
    ballot_key,
    new_receipt,
    new_voter_code,
    normalise_code,
    submission_owner,
    unlinked_ballot_key,
)
from voting.models import (
    Ballot,
    Channel,
    Participation,
    SubmissionKey,
    VoterCode,
    VoterCodeBatch,
)
from voting.rules import BallotRefused, BallotRule, OnBallot, check_ballot

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CastResult:
    receipt: str
    replaced: bool
    duplicate: bool


class SubmissionRefused(ValueError):
    """A submission key accepted for another envelope or another voter."""


class NotStored(Exception):
    """The database failed while casting. ``known`` says whether the ballot is certainly
    not stored (the failure came before the commit); if not, resending the same form
    tells, since its submission key makes the resend idempotent."""

    def __init__(self, *, known: bool):
        super().__init__("the ballot may not be stored" if not known else "not stored")
        self.known = known


# Compiled once per process (config.sql); every cast reads it.
_OPTIONS = CompiledRows(
    lambda envelope_id: Proposal.objects.on_ballot(envelope_id).values_list(
        "pk", "title", "effective_cost", "language"
    ),
    envelope_id=int,
)


def ballot_options(envelope: Envelope) -> dict[int, OnBallot]:
    """The proposals on this envelope's ballot, by id, with the cost the count will use."""
    return _options_from(_OPTIONS.rows(envelope_id=envelope.pk))


def _options_from(rows) -> dict[int, OnBallot]:
    return {
        pk: OnBallot(pk, LocalisedText(title, language), cost) for pk, title, cost, language in rows
    }


def ballot_for(*, user, envelope: Envelope) -> Ballot | None:
    key = ballot_key(voter_id=user.pk, envelope_id=envelope.pk)
    return Ballot.objects.filter(envelope=envelope, ballot_key=key).first()


def ballot_cast(
    *,
    user,
    envelope_id: int,
    choices: dict[int, int],
    idempotency_key: uuid.UUID,
    age_confirmed: bool = False,
    channel: str = Channel.ONLINE,
) -> CastResult:
    """Store the voter's ballot, replacing any earlier one, exactly once per submission.

    Raises BallotRefused (the rule, with what to change), ValidationError (eligibility),
    SubmissionRefused (a key from another ballot) or NotStored (the database failed).
    A refused ballot changes nothing: the earlier ballot, if any, stays as it was.
    """
    key = ballot_key(voter_id=user.pk, envelope_id=envelope_id)
    committing = False
    try:
        with transaction.atomic():
            result = _cast(user, envelope_id, key, choices, idempotency_key, age_confirmed, channel)
            committing = True
    except (OperationalError, InterfaceError) as error:
        raise NotStored(known=not committing) from error
    except (BallotRefused, ValidationError) as error:
        # A resend of a form that was stored, refused now (voting closed since, say).
        if _accepted_for(idempotency_key, envelope_id, user.pk) is True:
            return _duplicate(envelope_id, key)
        _record_refused_cast(error, envelope_id, channel)
        raise
    except SubmissionRefused as error:
        _record_refused_cast(error, envelope_id, channel)
        raise
    return result


def _record_refused_cast(error: Exception, envelope_id: int, channel: str) -> None:
    record_refusal(
        logger, action="voting.ballot_cast", error=error, envelope_id=envelope_id, channel=channel
    )


def _cast(user, envelope_id, key, choices, idempotency_key, age_confirmed, channel) -> CastResult:
    # One round trip: hold the round open (shared; a close waits for it), then read the
    # phase afresh with the envelope and the voter's facts, then the ideas on the ballot.
    held, found, options = rows_together(
        round_hold_open_statement(envelope_id=envelope_id),
        envelope_for_voter_statement(user, envelope_id),
        _OPTIONS.statement(envelope_id=envelope_id),
    )
    if not held:
        raise ValidationError(_("There is no such ballot."))
    envelope = envelope_for_voter_from(found)
    reason = why_cannot_vote(user, envelope)
    if reason:
        raise ValidationError(reason)
    if needs_voter_code(envelope):
        raise ValidationError(_("Enter the voter code from your letter before you vote."))
    if envelope.round.minimum_age and not age_confirmed:
        raise ValidationError(
            _("Confirm that you are %(age)d or older to vote.")
            % {"age": envelope.round.minimum_age}
        )
    check_ballot(BallotRule.for_envelope(envelope), choices, _options_from(options))

    stored = _store_ballot(envelope, user, key, choices, idempotency_key, channel)
    if stored is None:
        _refuse_foreign_submission(idempotency_key, envelope_id, user.pk)
        return _duplicate(envelope_id, key)
    ballot_id, receipt, inserted, registered = stored
    if not inserted:
        _replace_choices(ballot_id, choices)
    elif not registered:
        # Another cast of this voter, in another envelope of the round, committed first.
        # (The confirmation written with the ballot goes with this transaction.)
        raise ValidationError(
            voted_elsewhere_reason(envelope.round, _registered_neighbourhood(envelope, user))
        )
    return CastResult(receipt=receipt, replaced=not inserted, duplicate=False)


def _accepted_for(idempotency_key, envelope_id: int, voter_id: int) -> bool | None:
    """None if the key was never accepted; else whether it was for this voter's ballot
    in this envelope."""
    owner = SubmissionKey.objects.filter(key=idempotency_key).values_list("owner", flat=True)
    stored = owner.first()
    if stored is None:
        return None
    return stored == submission_owner(
        submission=idempotency_key, envelope_id=envelope_id, voter_id=voter_id
    )


# One statement for a first ballot: the submission key (a key stored before makes the rest
# insert nothing: a resend waits here for the first to commit, then finds its key), the
# ballot (made if new, else locked, so one voter's casts queue here), its choices if it
# is new, the voter on the round's register if it is new (nothing if they are on it
# already, for another envelope), and the confirmation email in the outbox (new or
# replaced). A replaced ballot's choices are swapped afterwards.
_CONFIRMATION = outbox.enqueue_sql(
    "SELECT 'voting.ballot_confirmation', jsonb_build_object('user_id', %(voter_id)s::bigint, "
    "'envelope_id', %(envelope_id)s::bigint, 'replaced', NOT ballot.inserted), "
    "statement_timestamp() FROM ballot"
)
_STORE_BALLOT = f"""
WITH submission AS (
    INSERT INTO voting_submissionkey (key, owner) VALUES (%(submission)s, %(owner)s)
    ON CONFLICT (key) DO NOTHING RETURNING id
), ballot AS (
    INSERT INTO voting_ballot (envelope_id, ballot_key, receipt, channel)
    SELECT %(envelope_id)s, %(ballot_key)s, %(receipt)s, %(channel)s FROM submission
    ON CONFLICT (envelope_id, ballot_key) DO UPDATE SET channel = EXCLUDED.channel
    RETURNING id, receipt, (xmax = 0) AS inserted
), chosen AS (
    INSERT INTO voting_ballotchoice (ballot_id, proposal_id, points)
    SELECT ballot.id, choice.proposal_id, choice.points
    FROM ballot, unnest(%(proposal_ids)s::bigint[], %(points)s::integer[])
        AS choice(proposal_id, points)
    WHERE ballot.inserted
), registered AS (
    INSERT INTO voting_participation (round_id, envelope_id, voter_id, channel, voted_on)
    SELECT %(round_id)s, %(envelope_id)s, %(voter_id)s, %(channel)s, %(voted_on)s
    FROM ballot WHERE ballot.inserted
    ON CONFLICT (round_id, voter_id) WHERE voter_id IS NOT NULL DO NOTHING
    RETURNING id
), confirmation AS (
    {_CONFIRMATION}
)
SELECT ballot.id, ballot.receipt, ballot.inserted, EXISTS (SELECT 1 FROM registered)
FROM ballot
"""


def _store_ballot(
    envelope, user, key: str, choices: dict[int, int], idempotency_key, channel: str
) -> tuple[int, str, bool, bool] | None:
    """(ballot id, receipt, whether the ballot is new, whether the voter was put on the
    register); None if this submission key was stored before."""
    owner = submission_owner(submission=idempotency_key, envelope_id=envelope.pk, voter_id=user.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            _STORE_BALLOT,
            {
                "submission": idempotency_key,
                "owner": owner,
                "envelope_id": envelope.pk,
                "ballot_key": key,
                "receipt": new_receipt(),
                "channel": channel,
                "proposal_ids": _int_array(choices),
                "points": _int_array(choices.values()),
                "round_id": envelope.round_id,
                "voter_id": user.pk,
                "voted_on": timezone.localdate(),
            },
        )
        return cursor.fetchone()


def _int_array(values) -> str:
    """Whole numbers as a PostgreSQL array literal, cast in the SQL: psycopg's quoting of
    a list cost about half as much CPU as a round trip."""
    return "{" + ",".join(str(int(value)) for value in values) + "}"


def _refuse_foreign_submission(idempotency_key, envelope_id: int, voter_id: int) -> None:
    """A stored submission key is a resend of this voter's form here, or refused."""
    if _accepted_for(idempotency_key, envelope_id, voter_id) is False:
        raise SubmissionRefused(
            _(
                "This form belongs to another ballot, so nothing was sent. "
                "Open your ballot again and send your choices from there."
            )
        )


# One statement, run after the store statement has locked the ballot's row (so its
# snapshot sees every committed choice and no other cast of this voter can write
# between): ideas no longer chosen go; the others are written, or take their new points.
_REPLACE_CHOICES = """
WITH dropped AS (
    DELETE FROM voting_ballotchoice
    WHERE ballot_id = %(ballot_id)s AND proposal_id <> ALL(%(proposal_ids)s::bigint[])
)
INSERT INTO voting_ballotchoice (ballot_id, proposal_id, points)
SELECT %(ballot_id)s, choice.proposal_id, choice.points
FROM unnest(%(proposal_ids)s::bigint[], %(points)s::integer[]) AS choice(proposal_id, points)
ON CONFLICT (ballot_id, proposal_id) DO UPDATE SET points = EXCLUDED.points
WHERE voting_ballotchoice.points <> EXCLUDED.points
"""


def _replace_choices(ballot_id: int, choices: dict[int, int]) -> None:
    """The ballot's choices, in place of those it had (the ballot's row is locked)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _REPLACE_CHOICES,
            {
                "ballot_id": ballot_id,
                "proposal_ids": _int_array(choices),
                "points": _int_array(choices.values()),
            },
        )


def _registered_neighbourhood(envelope, user) -> Neighbourhood:
    return (
        Participation.objects.select_related("envelope__neighbourhood")
        .get(round_id=envelope.round_id, voter=user)
        .envelope.neighbourhood
    )


def _duplicate(envelope_id: int, key: str) -> CastResult:
    receipt = (
        Ballot.objects.filter(envelope_id=envelope_id, ballot_key=key)
        .values_list("receipt", flat=True)
        .first()
    )
    return CastResult(receipt=receipt or "", replaced=False, duplicate=True)


VOTER_CODES_MAX = 50_000


@transaction.atomic
def voter_codes_generate(*, envelope_id: int, size: int, created_by) -> VoterCodeBatch:
    if not 1 <= size <= VOTER_CODES_MAX:
        raise ValidationError(_("Make between 1 and 50,000 codes at a time."))
    envelope = Envelope.objects.get(pk=envelope_id)
    batch = VoterCodeBatch.objects.create(envelope=envelope, size=size, created_by=created_by)
    codes: set[str] = set()
    while len(codes) < size:
        codes.add(new_voter_code())
    VoterCode.objects.bulk_create(
        VoterCode(batch=batch, envelope=envelope, code=code) for code in sorted(codes)
    )
    return batch


def voter_code_enter(*, user, envelope_id: int, code: str) -> VoterCode:
    """``voter_code_redeem``, refused after too many wrong codes in an hour from one voter
    for one envelope, so that codes cannot be found by guessing."""
    attempts = code_attempts.online(user_id=user.pk, envelope_id=envelope_id)
    if code_attempts.first_exhausted(attempts):
        error = ValidationError(
            _("Too many wrong codes. Try again in an hour, or ask your council for help."),
            code="too_many_attempts",
        )
    else:
        try:
            return voter_code_redeem(user=user, envelope_id=envelope_id, code=code)
        except ValidationError as wrong:
            code_attempts.record_wrong(attempts)
            error = wrong
    record_refusal(logger, action="voting.voter_code_enter", error=error, envelope_id=envelope_id)
    raise error


@transaction.atomic
def voter_code_redeem(*, user, envelope_id: int, code: str) -> VoterCode:
    """Link a posted voter code to the resident who entered it."""
    normal = normalise_code(code)
    voter_code = (
        VoterCode.objects.select_for_update().filter(code=normal, envelope_id=envelope_id).first()
    )
    if voter_code is None:
        raise ValidationError(
            _("That code is not right for this neighbourhood. Check it against your letter."),
            code="wrong_code",
        )
    if voter_code.used_by_id == user.pk:
        return voter_code
    # A code used at a polling station (or by an account since deleted) has a date and no
    # account: it is used all the same.
    if voter_code.used_by_id is not None or voter_code.used_on is not None:
        raise ValidationError(
            _("That code has already been used. Each code lets one person vote."), code="used"
        )
    voter_code.used_by = user
    voter_code.used_on = timezone.localdate()
    try:
        with transaction.atomic():
            voter_code.save(update_fields=["used_by", "used_on"])
    except IntegrityError:
        raise ValidationError(
            _("You have already entered a voter code here."), code="already_entered"
        ) from None
    return voter_code


@transaction.atomic
def voter_forget(*, user) -> None:
    """Before an account is deleted: keep its ballots counted but linked to no one."""
    for participation in Participation.objects.select_for_update().filter(voter=user):
        key = ballot_key(voter_id=user.pk, envelope_id=participation.envelope_id)
        Ballot.objects.filter(envelope_id=participation.envelope_id, ballot_key=key).update(
            ballot_key=unlinked_ballot_key()
        )
