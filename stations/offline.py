"""The kiosk's offline path on the server: the station session's offline kit, and the
sync that stores each ballot a tablet kept while it had no network, exactly once.

A queued ballot is judged when it arrives, by the same code as a ballot sent online
(``services.code_check`` / ``declaration_check`` and ``station_ballot_cast``): the
register's rules apply then, not when it was cast. One that fails is not counted; it is
kept sealed as a REFUSED ``OfflineBallot`` and an officer decides it in the admin.
"""

import base64
import binascii
import hashlib
import json
import secrets
import time
import uuid
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from stations import services
from stations.forms import DeclarationForm
from stations.kiosk import KioskVoter
from stations.models import OfflineBallot, OfflineKit, StationSession
from voting.forms import read_choices
from voting.rules import BallotRefused

KEY_BYTES = 32
PIN_ITERATIONS = 150_000
# Only the ballot's own fields are sealed for an officer; nothing else the form held.
BALLOT_FIELDS = ("choice", "age_confirmed")


class Unreadable(Exception):
    """The sealed ballot cannot be opened with this station session's key."""


# --- The kit -----------------------------------------------------------------------------


def _pin_hash(pin: str, salt: str, iterations: int) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), iterations).hex()


def kit_make(session: StationSession, pin: str) -> OfflineKit:
    """Made when staff open the station, while the PIN they chose is at hand."""
    salt = secrets.token_hex(16)
    return OfflineKit.objects.create(
        session=session,
        key=secrets.token_bytes(KEY_BYTES),
        pin_salt=salt,
        pin_hash=_pin_hash(pin, salt, PIN_ITERATIONS),
        pin_iterations=PIN_ITERATIONS,
    )


def kit_for(session: StationSession) -> OfflineKit:
    """The session's kit; one opened before kits existed gets one with no offline PIN."""
    kit, _created = OfflineKit.objects.get_or_create(
        session=session, defaults={"key": secrets.token_bytes(KEY_BYTES)}
    )
    return kit


def kit_for_tablet(kit: OfflineKit) -> dict:
    """What the tablet keeps: the key (imported there as encrypt-only), and the PIN check."""
    return {
        "kit": kit.pk,
        "key": base64.b64encode(bytes(kit.key)).decode(),
        "pin": {"salt": kit.pin_salt, "hash": kit.pin_hash, "iterations": kit.pin_iterations}
        if kit.pin_hash
        else None,
    }


def open_sealed(kit: OfflineKit, *, key: uuid.UUID, iv: str, data: str) -> dict:
    """The ballot the tablet sealed: AES-GCM under the kit's key, bound to its own
    idempotency key (the additional data), so a sealed ballot cannot travel under another."""
    try:
        plain = AESGCM(bytes(kit.key)).decrypt(
            base64.b64decode(iv, validate=True),
            base64.b64decode(data, validate=True),
            str(key).encode(),
        )
        payload = json.loads(plain)
    except (InvalidTag, ValueError, binascii.Error, UnicodeDecodeError):
        raise Unreadable from None
    if not isinstance(payload, dict):
        raise Unreadable
    return payload


def seal_for_tests(kit: OfflineKit, *, key: uuid.UUID, payload: dict) -> dict:
    """What a tablet sends, made in Python (the service tests' tablet)."""
    iv = secrets.token_bytes(12)
    data = AESGCM(bytes(kit.key)).encrypt(iv, json.dumps(payload).encode(), str(key).encode())
    return {"iv": base64.b64encode(iv).decode(), "data": base64.b64encode(data).decode()}


# --- Sync --------------------------------------------------------------------------------


def _form(payload: dict) -> QueryDict:
    form = QueryDict(mutable=True)
    for pair in payload.get("form") or []:
        if isinstance(pair, list) and len(pair) == 2:
            name, value = str(pair[0]), str(pair[1])
            if name in BALLOT_FIELDS or name.startswith("points-"):
                form.appendlist(name, value)
    return form


def _date(text) -> date | None:
    # Typed offline, so read as the online declaration form reads it.
    return DeclarationForm.base_fields["date_of_birth"].clean(str(text or "")) or None


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _verify(session: StationSession, payload: dict, *, by_officer: bool = False) -> dict:
    """The voter's details, checked against the register now; raises Refused/ValidationError."""
    method = payload.get("method")
    if method == "code":
        details = services.code_check(
            session=session, code=str(payload.get("code", "")), by_officer=by_officer
        )
    elif method == "declaration":
        details = services.declaration_check(
            session=session,
            name=str(payload.get("name", "")),
            postcode=str(payload.get("postcode", "")),
            date_of_birth=_date(payload.get("date_of_birth")),
            checked_by_id=_int(payload.get("checked_by")),
            by_officer=by_officer,
        )
    else:
        raise ValidationError(_("This ballot does not say how the voter was checked."))
    if details["envelope_id"] != _int(payload.get("envelope")):
        raise ValidationError(
            _(
                "The voter's code or postcode is for another neighbourhood than the "
                "ballot they filled in."
            )
        )
    return details


def _cast(
    session: StationSession, key: uuid.UUID, payload: dict, *, by_officer: bool = False
) -> OfflineBallot | None:
    """Counted or held, in one transaction with its record; None if the key was taken or
    an officer is accepting it (its record is the refused ballot they are deciding)."""
    with transaction.atomic():
        details = _verify(session, payload, by_officer=by_officer)
        form = _form(payload)
        cast = services.station_ballot_cast(
            session_id=session.pk,
            voter=KioskVoter(expires=time.time() + 60, **details),
            choices=read_choices(form),
            idempotency_key=key,
            age_confirmed=form.get("age_confirmed") == "yes",
            by_officer=by_officer,
        )
        if cast.duplicate or by_officer:
            return None
        return OfflineBallot.objects.create(
            session=session,
            key=key,
            outcome=OfflineBallot.Outcome.HELD if cast.held else OfflineBallot.Outcome.COUNTED,
            envelope_id=details["envelope_id"],
        )


def _why(problem: Exception) -> str:
    if isinstance(problem, services.Refused):
        return problem.message
    if isinstance(problem, ValidationError):
        return " ".join(problem.messages)
    return str(problem)


def _refuse(session: StationSession, key: uuid.UUID, payload: dict, why: str) -> OfflineBallot:
    envelope_id = _int(payload.get("envelope"))
    voter = {
        name: str(payload.get(name, ""))
        for name in ("code", "name", "postcode", "date_of_birth", "checked_by")
    }
    return OfflineBallot.objects.create(
        session=session,
        key=key,
        outcome=OfflineBallot.Outcome.REFUSED,
        why_refused=why,
        envelope=session.station.round.envelopes.filter(pk=envelope_id).first(),
        method=str(payload.get("method", ""))[:12],
        sealed_voter=voter,
        sealed_choices={"form": list(_form(payload).lists())},
        decision=OfflineBallot.Decision.PENDING,
    )


def offline_ballot_sync(*, session_id: int, key: uuid.UUID, payload: dict) -> OfflineBallot:
    """Store a queued ballot exactly once: counted, held, or refused for an officer.

    Sending the same key again (a retry, or two syncs at once) returns the first result.
    Raises ValidationError only if the key belongs to something else.
    """
    session = StationSession.objects.select_related("station__round").get(pk=session_id)
    for _attempt in range(2):
        earlier = OfflineBallot.objects.filter(key=key).first()
        if earlier is not None:
            if earlier.session_id != session_id:
                raise ValidationError(_("This ballot was sent from another tablet."))
            return earlier
        try:
            try:
                stored = _cast(session, key, payload)
            except (services.Refused, BallotRefused, ValidationError) as problem:
                with transaction.atomic():
                    stored = _refuse(session, key, payload, _why(problem))
        except IntegrityError:
            stored = None  # the same key, stored by a sync running alongside
        if stored is not None:
            return stored
    raise ValidationError(_("This ballot's key was already used for another ballot."))


# --- An officer's decision on a refused offline ballot ------------------------------------


def offline_ballot_decide(
    *, offline_id: int, officer, accept: bool, note: str = ""
) -> OfflineBallot:
    """Accept (it is counted if the register's rules let it be now) or reject with a reason.

    Usually the station has closed by now (the tablet synced the next morning): that
    does not stop an accept, but voting must still be open and the voter not on the
    register. Either way the sealed choices and the voter's details are erased.
    """
    note = note.strip()
    if not accept and not note:
        raise ValidationError(_("Give the reason for rejecting this ballot."))
    with transaction.atomic():
        offline = (
            OfflineBallot.objects.select_for_update()
            .select_related("session__station__round")
            .get(pk=offline_id)
        )
        if offline.decision != OfflineBallot.Decision.PENDING:
            raise ValidationError(_("This ballot has already been decided."))
        if accept:
            payload = {
                **offline.sealed_voter,
                "method": offline.method,
                "envelope": offline.envelope_id,
                "form": [
                    [name, value]
                    for name, values in offline.sealed_choices.get("form", [])
                    for value in values
                ],
            }
            try:
                with transaction.atomic():
                    _cast(offline.session, uuid.uuid4(), payload, by_officer=True)
            except (services.Refused, BallotRefused, ValidationError) as problem:
                raise ValidationError(
                    _("It cannot be counted: %(why)s Reject it instead.") % {"why": _why(problem)}
                ) from None
        offline.decision = (
            OfflineBallot.Decision.ACCEPTED if accept else OfflineBallot.Decision.REJECTED
        )
        offline.decided_by = officer
        offline.decided_at = timezone.now()
        offline.decision_note = note
        offline.sealed_voter, offline.sealed_choices = {}, {}
        offline.save()
    return offline


def offline_ballots_for_staff(session: StationSession) -> list[OfflineBallot]:
    """What became of the ballots this tablet sent after being offline, refused ones first."""
    return list(
        OfflineBallot.objects.filter(session=session)
        .exclude(outcome=OfflineBallot.Outcome.COUNTED)
        .order_by("-arrived_at")[:50]
    )
