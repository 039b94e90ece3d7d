"""Casting, replacing and protecting ballots."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import Envelope
from proposals.models import Proposal
from voting.eligibility import needs_voter_code, why_cannot_vote
from voting.keys import ballot_key, new_receipt, new_voter_code, normalise_code, unlinked_ballot_key
from voting.models import (
    Ballot,
    BallotChoice,
    Channel,
    Participation,
    SubmissionKey,
    VoterCode,
    VoterCodeBatch,
)
from voting.rules import BallotRule, OnBallot, check_ballot


@dataclass(frozen=True)
class CastResult:
    receipt: str
    replaced: bool
    duplicate: bool


def ballot_options(envelope: Envelope) -> dict[int, OnBallot]:
    """The proposals on this envelope's ballot, by id, with the cost the count will use."""
    proposals = Proposal.objects.on_ballot(envelope).values_list("pk", "title", "effective_cost")
    return {pk: OnBallot(pk, title, cost) for pk, title, cost in proposals}


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
) -> CastResult:
    """Store the voter's ballot, replacing any earlier one, exactly once per submission.

    Raises BallotRefused (the rule, with what to change) or ValidationError (eligibility).
    A refused ballot changes nothing: the earlier ballot, if any, stays as it was.
    """
    with transaction.atomic():
        # Lock the envelope row first: every cast in an envelope queues here, so the phase
        # check below cannot race the round closing.
        envelope = (
            Envelope.objects.select_for_update(of=("self",))
            .select_related("round", "neighbourhood")
            .get(pk=envelope_id)
        )
        key = ballot_key(voter_id=user.pk, envelope_id=envelope.pk)
        if SubmissionKey.objects.filter(key=idempotency_key).exists():
            existing = Ballot.objects.get(envelope=envelope, ballot_key=key)
            return CastResult(receipt=existing.receipt, replaced=False, duplicate=True)
        reason = why_cannot_vote(user, envelope)
        if reason:
            raise ValidationError(reason)
        if needs_voter_code(user, envelope):
            raise ValidationError(_("Enter the voter code from your letter before you vote."))
        if envelope.round.minimum_age and not age_confirmed:
            raise ValidationError(
                _("Confirm that you are %(age)d or older to vote.")
                % {"age": envelope.round.minimum_age}
            )
        check_ballot(BallotRule.for_envelope(envelope), choices, ballot_options(envelope))

        ballot = Ballot.objects.filter(envelope=envelope, ballot_key=key).first()
        replaced = ballot is not None
        if ballot is None:
            ballot = Ballot.objects.create(envelope=envelope, ballot_key=key, receipt=new_receipt())
            Participation.objects.create(
                envelope=envelope, voter=user, channel=Channel.ONLINE, voted_on=timezone.localdate()
            )
        else:
            ballot.choices.all().delete()
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, proposal_id=pid, points=points)
            for pid, points in choices.items()
        )
        SubmissionKey.objects.create(key=idempotency_key, envelope=envelope)
    return CastResult(receipt=ballot.receipt, replaced=replaced, duplicate=False)


VOTER_CODES_MAX = 50_000


@transaction.atomic
def voter_codes_generate(*, envelope_id: int, size: int, created_by) -> VoterCodeBatch:
    if not 1 <= size <= VOTER_CODES_MAX:
        raise ValidationError(_("Make between 1 and 50,000 codes at a time."))
    envelope = Envelope.objects.get(pk=envelope_id)
    batch = VoterCodeBatch.objects.create(envelope=envelope, size=size, created_by=created_by)
    codes = set()
    while len(codes) < size:
        codes.add(new_voter_code())
    VoterCode.objects.bulk_create(
        VoterCode(batch=batch, envelope=envelope, code=code) for code in sorted(codes)
    )
    return batch


@transaction.atomic
def voter_code_redeem(*, user, envelope_id: int, code: str) -> VoterCode:
    """Link a posted voter code to the resident who entered it."""
    normal = normalise_code(code)
    voter_code = (
        VoterCode.objects.select_for_update().filter(code=normal, envelope_id=envelope_id).first()
    )
    if voter_code is None:
        raise ValidationError(
            _("That code is not right for this neighbourhood. Check it against your letter.")
        )
    if voter_code.used_by_id == user.pk:
        return voter_code
    if voter_code.used_by_id is not None:
        raise ValidationError(_("That code has already been used. Each code lets one person vote."))
    voter_code.used_by = user
    voter_code.used_on = timezone.localdate()
    try:
        with transaction.atomic():
            voter_code.save(update_fields=["used_by", "used_on"])
    except IntegrityError:
        raise ValidationError(_("You have already entered a voter code here.")) from None
    return voter_code


@transaction.atomic
def voter_forget(*, user) -> None:
    """Before an account is deleted: keep its ballots counted but linked to no one."""
    for participation in Participation.objects.select_for_update().filter(voter=user):
        key = ballot_key(voter_id=user.pk, envelope_id=participation.envelope_id)
        Ballot.objects.filter(envelope_id=participation.envelope_id, ballot_key=key).update(
            ballot_key=unlinked_ballot_key()
        )
