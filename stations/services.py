"""Opening and closing stations, checking voters in person, and casting at a station.

Every write that decides whether someone may vote runs in one transaction that first
locks the envelope's row, exactly as an online cast does: casts in one envelope queue
there, so a station, another station and the resident's own phone cannot both win, and
the round cannot close under a cast. The register's own unique constraints catch the
rest (the same person in two envelopes).
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.postcodes import normalise_postcode
from budgets.locks import round_hold_open
from budgets.models import Envelope, Round
from config.events import record_refusal
from config.ratelimit import RateLimit
from neighbourhoods.models import Postcode
from stations import register
from stations.identity import Identity, Match, age_on, compare, normalise_name
from stations.kiosk import KioskVoter
from stations.models import HeldDeclaration, PollingStation, Refusal, StationSession
from stations.selectors import station_envelopes
from voting import code_attempts
from voting.keys import new_receipt, normalise_code, submission_owner, unlinked_ballot_key
from voting.models import Ballot, BallotChoice, Channel, SubmissionKey, VoterCode
from voting.rules import BallotRule, check_ballot
from voting.services import ballot_options

PIN_LENGTHS = range(4, 9)

logger = logging.getLogger(__name__)


class Refused(Exception):
    """The person may not vote here; ``message`` says why, in words for them and staff."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class StationCast:
    held: bool
    duplicate: bool = False
    receipt: str = ""  # the stored ballot's, for the voter to check in the results


# --- Opening and closing ------------------------------------------------------------------


def stations_for_staff(user):
    """Stations this anchor staff member may open now: their organisations', voting open."""
    now = timezone.now()
    return (
        PollingStation.objects.filter(
            anchor__staff=user,
            round__phase=Round.Phase.VOTING_OPEN,
            closes_at__gt=now,
        )
        .select_related("anchor", "round")
        .prefetch_related("neighbourhoods")
        .distinct()
    )


def station_open(*, station_id: int, staff_user, pin: str) -> StationSession:
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS:
        raise ValidationError(_("Choose a staff PIN of 4 to 8 digits."))
    station = stations_for_staff(staff_user).filter(pk=station_id).first()
    if station is None:
        raise ValidationError(
            _("You can open only your own organisation's stations, while voting is open.")
        )
    if not station.is_open_at(timezone.now()):
        raise ValidationError(
            _("This station opens at %(time)s.")
            % {"time": date_format(timezone.localtime(station.opens_at), "j F Y, H:i")}
        )
    return StationSession.objects.create(
        station=station, opened_by=staff_user, staff_pin=make_password(pin)
    )


PIN_TRIES, PIN_WAIT_SECONDS = 5, 300


def staff_pin_check(session: StationSession, pin: str) -> None:
    """Raise ValidationError unless ``pin`` is the station's staff PIN; after five wrong
    PINs, refuse every PIN for five minutes."""
    tries = RateLimit(
        f"station-pin-tries:{session.pk}", allowed=PIN_TRIES, window_seconds=PIN_WAIT_SECONDS
    )
    if tries.reached():
        error = ValidationError(
            _("Too many wrong PINs. Wait 5 minutes and try again."), code="too_many_attempts"
        )
    elif check_password(pin, session.staff_pin):
        tries.reset()
        return
    else:
        tries.count_one()
        error = ValidationError(_("That PIN is not right."), code="wrong_pin")
    record_refusal(logger, action="stations.staff_pin_check", error=error, session_id=session.pk)
    raise error


def station_staff(session: StationSession):
    return session.station.anchor.staff.filter(is_active=True).order_by("display_name", "email")


@transaction.atomic
def session_close(
    *,
    session_id: int,
    closed_by_id: int,
    codes_issued: int,
    ballots: int,
    spoilt: int,
    refusals: int,
    papers: int = 0,
    note: str = "",
) -> StationSession:
    session = StationSession.objects.select_for_update().get(pk=session_id)
    if session.closed_at is not None:
        raise ValidationError(_("This station session is already closed."))
    if not station_staff(session).filter(pk=closed_by_id).exists():
        raise ValidationError(_("Choose who is closing the station."))
    if min(codes_issued, ballots, spoilt, refusals, papers) < 0:
        raise ValidationError(_("Counts cannot be below zero."))
    session.closed_at = timezone.now()
    session.closed_by_id = closed_by_id
    session.reported_codes_issued = codes_issued
    session.reported_ballots = ballots
    session.reported_spoilt = spoilt
    session.reported_refusals = refusals
    session.reported_papers = papers
    session.closing_note = note
    session.full_clean()
    session.save()
    return session


def voter_abandoned(*, session_id: int) -> None:
    """A verified voter left without sending a ballot (idle time, or they stopped)."""
    StationSession.objects.filter(pk=session_id).update(
        abandoned_recorded=F("abandoned_recorded") + 1
    )


def refusal_record(session: StationSession, refused: Refused) -> None:
    Refusal.objects.create(session=session, reason=refused.reason)
    record_refusal(
        logger,
        action="stations.voter_check",
        error=refused,
        session_id=session.pk,
        reason=refused.reason,
    )


# --- Verifying a voter -------------------------------------------------------------------


def _open_for_voting(session: StationSession, *, by_officer: bool = False) -> None:
    """Voting must be open; so must the station, unless an officer is deciding a ballot
    the tablet kept offline (it usually arrives after the station has closed)."""
    station = session.station
    if station.round.phase != Round.Phase.VOTING_OPEN:
        raise ValidationError(_("Voting has closed. Nothing can be changed now."))
    if by_officer:
        return
    if not session.is_open or not station.is_open_at(timezone.now()):
        raise ValidationError(_("This polling station is closed."))


def _locked_for_the_register(voter: KioskVoter, session_id: int):
    """Inside a transaction: hold the round open (a close waits for this), then lock the
    voter's envelope. Everything that puts a station voter on the register queues there,
    so two tablets checking the same person cannot both find them absent from it."""
    round_hold_open(envelope_id=voter.envelope_id)
    envelope = (
        Envelope.objects.select_for_update(of=("self",), no_key=True)
        .select_related("round")
        .get(pk=voter.envelope_id)
    )
    session = StationSession.objects.select_related("station__round").get(pk=session_id)
    return envelope, session


def _already_voted(channel: str) -> Refused:
    if channel == Channel.ONLINE:
        return Refused(
            Refusal.Reason.ALREADY_VOTED_ONLINE,
            _("This person has already voted online in this round, so cannot vote again."),
        )
    return Refused(
        Refusal.Reason.ALREADY_VOTED_IN_PERSON,
        _("This person has already voted in this round, so cannot vote again."),
    )


def code_check(*, session: StationSession, code: str, by_officer: bool = False) -> dict:
    """The kiosk voter's details for a printed voter code; raises Refused. Wrong codes
    are limited per station session and per code (voting.code_attempts)."""
    _open_for_voting(session, by_officer=by_officer)
    attempts = code_attempts.at_station(session_id=session.pk, code=code)
    exhausted = code_attempts.first_exhausted(attempts)
    if exhausted == code_attempts.station_session(session.pk):
        raise Refused(
            Refusal.Reason.TOO_MANY_CODES,
            _(
                "Too many wrong voter codes have been typed on this tablet in the last hour, "
                "so it is not taking codes for now. Please ask a member of staff for help."
            ),
        )
    if exhausted is not None:
        raise Refused(
            Refusal.Reason.TOO_MANY_CODES,
            _(
                "This voter code has been tried too many times in the last hour. "
                "Please ask a member of staff for help."
            ),
        )
    try:
        return _code_details(session, code)
    except Refused as refused:
        if refused.reason in WRONG_CODE_REASONS:
            code_attempts.record_wrong(attempts)
        raise


WRONG_CODE_REASONS = {Refusal.Reason.CODE_NOT_RECOGNISED, Refusal.Reason.CODE_ALREADY_USED}


def code_entry_paused(session: StationSession) -> int:
    """Wrong codes typed on this tablet in the last hour, if that stopped code entry; else 0."""
    scope = code_attempts.station_session(session.pk)
    return scope.used if scope.reached() else 0


def code_entry_resume(session: StationSession) -> None:
    """Staff, having spoken with the voter, let the tablet take codes again."""
    code_attempts.forget(code_attempts.station_session(session.pk))


def _code_details(session: StationSession, code: str) -> dict:
    voter_code = (
        VoterCode.objects.filter(code=normalise_code(code), envelope__in=station_envelopes(session))
        .select_related("envelope")
        .first()
    )
    if voter_code is None:
        raise Refused(
            Refusal.Reason.CODE_NOT_RECOGNISED,
            _("That code is not right for this station. Check it against the letter."),
        )
    if voter_code.used_by_id is not None:
        channel = register.channel_of_account(
            round_id=session.station.round_id, account_id=voter_code.used_by_id
        )
        if channel:
            raise _already_voted(channel)
        return {
            "envelope_id": voter_code.envelope_id,
            "method": "code",
            "code": voter_code.code,
            "account_id": voter_code.used_by_id,
        }
    if voter_code.used_on is not None:
        raise Refused(
            Refusal.Reason.CODE_ALREADY_USED,
            _("That code has already been used. Each code lets one person vote."),
        )
    return {"envelope_id": voter_code.envelope_id, "method": "code", "code": voter_code.code}


def _match_known_voters(round_id: int, declared: Identity) -> tuple[Match, str]:
    """The strongest match between a declaration and anyone in the round's register."""
    best, channel = Match.NONE, ""
    for entry in register.entries_at(round_id=round_id, postcode=declared.postcode):
        match = compare(declared, entry.identity)
        if match == Match.SAME:
            return match, entry.channel
        if match == Match.UNCERTAIN:
            best, channel = match, entry.channel
    return best, channel


def declaration_check(
    *,
    session: StationSession,
    name: str,
    postcode: str,
    date_of_birth: date | None,
    checked_by_id: int,
    by_officer: bool = False,
) -> dict:
    """The kiosk voter's details for a declaration taken by staff; raises Refused."""
    _open_for_voting(session, by_officer=by_officer)
    round_ = session.station.round
    if round_.requires_voter_code:
        raise Refused(
            Refusal.Reason.CODE_REQUIRED,
            _(
                "This round needs a voter code: the person can vote with the code "
                "from their letter."
            ),
        )
    if not station_staff(session).filter(pk=checked_by_id).exists():
        raise ValidationError(_("Choose which member of staff checked the declaration."))
    postcode = normalise_postcode(postcode)
    envelope = (
        station_envelopes(session)
        .filter(
            neighbourhood__in=Postcode.objects.filter(postcode=postcode).values("neighbourhood")
        )
        .first()
    )
    if envelope is None:
        raise Refused(
            Refusal.Reason.LIVES_ELSEWHERE,
            _("%(postcode)s is not in a neighbourhood that votes at this station.")
            % {"postcode": postcode},
        )
    if round_.minimum_age:
        if date_of_birth is None:
            raise ValidationError(
                _("Enter the person's date of birth: this round has an age rule.")
            )
        if age_on(date_of_birth, timezone.localdate()) < round_.minimum_age:
            raise Refused(
                Refusal.Reason.TOO_YOUNG,
                _("You need to be %(age)d or older to vote in this round.")
                % {"age": round_.minimum_age},
            )
    else:
        date_of_birth = None
    declared = Identity(normalise_name(name), postcode, date_of_birth)
    if not declared.name:
        raise ValidationError(_("Enter the person's name."))
    match, channel = _match_known_voters(round_.pk, declared)
    if match == Match.SAME:
        # Only say "date of birth" where the round asked for one.
        message = (
            _(
                "Someone with this name, postcode and date of birth has already voted in this "
                "round (%(channel)s), so this person cannot vote again."
            )
            if date_of_birth
            else _(
                "Someone with this name and postcode has already voted in this round "
                "(%(channel)s), so this person cannot vote again."
            )
        )
        raise Refused(
            Refusal.Reason.MATCHES_A_VOTER,
            message % {"channel": Channel(channel).label.lower()},
        )
    return {
        "envelope_id": envelope.pk,
        "method": "declaration",
        "name": name.strip(),
        "postcode": postcode,
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else "",
        "checked_by_id": checked_by_id,
    }


# --- Casting at a station ------------------------------------------------------------------


def _declared(voter: KioskVoter) -> Identity:
    dob = date.fromisoformat(voter.date_of_birth) if voter.date_of_birth else None
    return Identity(normalise_name(voter.name), voter.postcode, dob)


def _store_ballot(envelope: Envelope, choices: dict[int, int]) -> Ballot:
    # Nobody can find a station ballot again: its key is random, like a deleted account's.
    ballot = Ballot.objects.create(
        envelope=envelope,
        ballot_key=unlinked_ballot_key(),
        receipt=new_receipt(),
        channel=Channel.POLLING_STATION,
    )
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, proposal_id=pid, points=points)
        for pid, points in choices.items()
    )
    return ballot


def _claim_code(voter: KioskVoter, envelope: Envelope) -> None:
    voter_code = VoterCode.objects.select_for_update().get(code=voter.code, envelope=envelope)
    if voter_code.used_by_id is None and voter_code.used_on is not None:
        raise Refused(
            Refusal.Reason.CODE_ALREADY_USED,
            _("That code has already been used. Each code lets one person vote."),
        )
    if voter_code.used_on is None:
        voter_code.used_on = timezone.localdate()
        voter_code.save(update_fields=["used_on"])


def _may_vote_here(
    session: StationSession,
    envelope: Envelope,
    voter: KioskVoter,
    age_confirmed: bool,
    *,
    by_officer: bool = False,
) -> None:
    """What a checked voter's tablet ballot and their paper ballot both need: voting and
    the station open, the voter's envelope in the station's round, and, for a voter code,
    the voter's word that they are old enough (a declaration checked the age already)."""
    _open_for_voting(session, by_officer=by_officer)
    if envelope.round_id != session.station.round_id:
        raise ValidationError(_("This ballot is not for this station."))
    if voter.method == "code" and envelope.round.minimum_age and not age_confirmed:
        raise ValidationError(
            _("Confirm that you are %(age)d or older to vote.")
            % {"age": envelope.round.minimum_age}
        )


def station_ballot_cast(
    *,
    session_id: int,
    voter: KioskVoter,
    choices: dict[int, int],
    idempotency_key: uuid.UUID,
    age_confirmed: bool = False,
    by_officer: bool = False,
) -> StationCast:
    """Store a station voter's whole ballot once, or hold it for an officer, or refuse.

    ``by_officer``: an officer is accepting a ballot the tablet kept offline, so the
    station session may have closed since. Raises BallotRefused (the rule),
    ValidationError (closed) or Refused (the register).
    """
    try:
        with transaction.atomic():
            envelope, session = _locked_for_the_register(voter, session_id)
            if SubmissionKey.objects.filter(key=idempotency_key).exists():
                return StationCast(held=False, duplicate=True)
            _may_vote_here(session, envelope, voter, age_confirmed, by_officer=by_officer)
            check_ballot(BallotRule.for_envelope(envelope), choices, ballot_options(envelope))
            held = _register_voter(session, envelope, voter, choices)
            receipt = ""
            if not held:
                receipt = _store_ballot(envelope, choices).receipt
                StationSession.objects.filter(pk=session.pk).update(
                    ballots_recorded=F("ballots_recorded") + 1,
                    codes_used_recorded=F("codes_used_recorded") + int(voter.method == "code"),
                )
            SubmissionKey.objects.create(
                key=idempotency_key,
                owner=submission_owner(
                    submission=idempotency_key,
                    envelope_id=envelope.pk,
                    # No account: the session's id, negated, never a real voter's id.
                    voter_id=-session.pk,
                ),
            )
    except Refused as refused:
        refusal_record(StationSession.objects.get(pk=session_id), refused)
        raise
    return StationCast(held=held, receipt=receipt)


def _register_voter(
    session: StationSession,
    envelope: Envelope,
    voter: KioskVoter,
    choices: dict[int, int] | None,
    channel: str = Channel.POLLING_STATION,
) -> bool:
    """Put the voter on the register (True: held for an officer instead); raises Refused.

    ``choices`` is None for a paper ballot handed out: there is no ballot to seal, so a
    declaration that needs an officer's check cannot be given paper.
    """
    round_id = envelope.round_id
    if voter.method == "code":
        if voter.account_id:
            channel_now = register.channel_of_account(
                round_id=round_id, account_id=voter.account_id
            )
            if channel_now:
                raise _already_voted(channel_now)
        _claim_code(voter, envelope)
        _claim(envelope, channel, account_id=voter.account_id, code=voter.code)
        return False
    declared = _declared(voter)
    # Checked again under the envelope's lock: the same person may be at two stations.
    match, known_channel = _match_known_voters(round_id, declared)
    if match == Match.SAME:
        raise _already_voted(known_channel)
    if match == Match.UNCERTAIN:
        if choices is None:
            raise ValidationError(
                _(
                    "This person may have voted already (someone with a similar name at the "
                    "same postcode has), so an officer must check. Do not give them paper: "
                    "they can vote on this tablet, and their vote is kept until an officer "
                    "has checked."
                )
            )
        # A declaration is stored with the staff member who read it (kiosk_declare).
        assert voter.checked_by_id is not None
        HeldDeclaration.objects.create(
            session=session,
            envelope=envelope,
            name=voter.name,
            postcode=voter.postcode,
            date_of_birth=declared.date_of_birth,
            checked_by_id=voter.checked_by_id,
            why_held=_(
                "Someone with a similar name at the same postcode has already voted "
                "(%(channel)s). Check whether this is the same person."
            )
            % {"channel": Channel(known_channel).label.lower()},
            sealed_choices={str(pid): points for pid, points in choices.items()},
        )
        return True
    _claim(envelope, channel, identity=declared)
    return False


def _claim(envelope: Envelope, channel: str, **who) -> None:
    try:
        with transaction.atomic():
            register.claim(envelope=envelope, channel=channel, **who)
    except (IntegrityError, register.AlreadyVoted):
        known = register.channel_of(round_id=envelope.round_id, **who) or Channel.POLLING_STATION
        raise _already_voted(known) from None


# --- Handing out a paper ballot instead ----------------------------------------------------


def paper_issue(*, session_id: int, voter: KioskVoter, age_confirmed: bool = False) -> None:
    """Staff hand a voter checked on the tablet a paper ballot instead of the tablet's.

    The voter goes on the register now (channel "paper"), under the same lock and rules
    as a tablet vote, so they cannot then vote on a tablet, online or at another station;
    their paper, once keyed in this session's batch, counts without a second register
    entry. Raises Refused (the register) or ValidationError (closed, or a declaration
    that needs an officer).
    """
    try:
        with transaction.atomic():
            envelope, session = _locked_for_the_register(voter, session_id)
            _may_vote_here(session, envelope, voter, age_confirmed)
            _register_voter(session, envelope, voter, None, channel=Channel.PAPER)
            StationSession.objects.filter(pk=session.pk).update(
                papers_issued_recorded=F("papers_issued_recorded") + 1,
                codes_used_recorded=F("codes_used_recorded") + int(voter.method == "code"),
            )
    except Refused as refused:
        refusal_record(StationSession.objects.get(pk=session_id), refused)
        raise


# --- An officer's decision on a held declaration ------------------------------------------


def held_declaration_decide(
    *, held_id: int, officer, approve: bool, note: str = ""
) -> HeldDeclaration:
    note = note.strip()
    if not approve and not note:
        raise ValidationError(
            {"reason": _("Say why you are rejecting it: the reason is kept with the decision.")}
        )
    with transaction.atomic():
        held = HeldDeclaration.objects.select_related("envelope").get(pk=held_id)
        envelope = (
            Envelope.objects.select_for_update(of=("self",))
            .select_related("round")
            .get(pk=held.envelope_id)
        )
        held = HeldDeclaration.objects.select_for_update().get(pk=held_id)
        if held.status != HeldDeclaration.Status.PENDING:
            raise ValidationError(_("This declaration has already been decided."))
        # Counting starts as voting closes, so a ballot can join only while voting is open.
        if approve and envelope.round.phase != Round.Phase.VOTING_OPEN:
            raise ValidationError(_("Voting has closed: this ballot can no longer be counted."))
        if approve:
            identity = Identity(normalise_name(held.name), held.postcode, held.date_of_birth)
            try:
                with transaction.atomic():
                    register.claim(
                        envelope=envelope, channel=Channel.POLLING_STATION, identity=identity
                    )
            except (IntegrityError, register.AlreadyVoted):
                raise ValidationError(
                    _("This person is already on the register for this round: reject it instead.")
                ) from None
            _store_ballot(
                envelope, {int(pid): points for pid, points in held.sealed_choices.items()}
            )
            StationSession.objects.filter(pk=held.session_id).update(
                ballots_recorded=F("ballots_recorded") + 1
            )
        held.status = (
            HeldDeclaration.Status.APPROVED if approve else HeldDeclaration.Status.REJECTED
        )
        held.decided_by = officer
        held.decided_at = timezone.now()
        held.decision_note = note
        # Once decided, nothing links this person to the choices, and their details go.
        held.sealed_choices = {}
        held.name, held.postcode, held.date_of_birth = "", "", None
        held.save()
    return held


# --- Setting up a station (officers) ------------------------------------------------------


def station_setup_problems(*, round_, anchor, neighbourhoods) -> dict[str, str]:
    """What is wrong with a station's round, anchor and neighbourhoods, by field."""
    problems: dict[str, str] = {}
    if round_ is None or anchor is None:
        return problems
    if anchor.council_id != round_.fund.council_id:
        problems["anchor"] = _("Choose an organisation of the round's council.")
    served = set(anchor.neighbourhoods.values_list("pk", flat=True))
    with_envelope = set(
        Envelope.objects.filter(round=round_).values_list("neighbourhood_id", flat=True)
    )
    names = [n.name for n in neighbourhoods if n.pk not in served]
    if names:
        problems["neighbourhoods"] = _("%(anchor)s does not serve %(names)s.") % {
            "anchor": anchor.name,
            "names": ", ".join(names),
        }
    names = [n.name for n in neighbourhoods if n.pk not in with_envelope]
    if names and "neighbourhoods" not in problems:
        problems["neighbourhoods"] = _("The round has no money for %(names)s.") % {
            "names": ", ".join(names)
        }
    return problems
