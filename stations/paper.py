"""Paper ballots: starting a batch, keying it twice, deciding differences, counting it.

How paper relates to the register. A paper ballot carries no identity: nobody can find
it again, like a station ballot. Nobody votes twice across channels:

- At a station, staff check the person on the tablet (voter code or declaration) exactly
  as for a tablet vote, then choose "Give a paper ballot instead" and enter the staff
  PIN (``services.paper_issue``). That puts the person on the register at once (channel
  "paper"), under the same lock and rules as a tablet vote, so they cannot then vote on
  a tablet, online or at another station; it counts the paper as handed out by the
  session. A declaration that needs an officer's check cannot be given paper. A
  session's batches may hold no more papers than it handed out, and the session's record
  shows the staff's count beside the platform's. Its checked papers are stored as
  ballots with no second register entry (each person is on it already; a spoilt paper's
  person stays on it, as they voted).
- By post, papers go out only with a voter code letter; staff mark a returned paper's
  code used before the paper joins a batch, and a code already used makes it spoilt
  ("voted already"). Each counted postal paper adds one anonymous register entry
  (``Participation`` with no voter, channel "paper") when its batch is checked. The
  platform does not yet record a returned postal paper's code as used: that is the
  officers' manual step.

Every write locks the envelope's row as a station cast does (``FOR NO KEY UPDATE``); a
count locks it ``FOR UPDATE``, so a batch and a count of the same envelope never
interleave: a batch waits for the count and then finds the envelope counted, and a count
that waited for a batch then finds it unsettled and refuses.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import Envelope, Round
from neighbourhoods.scoping import is_officer
from stations.models import PollingStation, StationSession
from stations.paper_models import PAPERS_MAX, PaperBallot, PaperBatch, PaperEntry, PaperKeying
from voting.keys import new_receipt, unlinked_ballot_key
from voting.models import Ballot, BallotChoice, Channel, Participation
from voting.results.models import EnvelopeCount
from voting.rules import BallotRefused, BallotRule, check_ballot
from voting.services import ballot_options

SPOILT = "spoilt"
ALREADY_KEYED = gettext_lazy(
    "You have already keyed this batch. The second keying must be done by someone else."
)
ENTERING_PHASES = (Round.Phase.VOTING_OPEN, Round.Phase.VOTING_CLOSED)


# --- Who may do what --------------------------------------------------------------------


def _is_round_officer(user, envelope: Envelope) -> bool:
    return is_officer(user) and (user.council_id == envelope.round.fund.council_id)


def may_key(user, batch: PaperBatch) -> bool:
    """Officers of the round's council key any batch; anchor staff their stations'."""
    if _is_round_officer(user, batch.envelope):
        return True
    if batch.session is None:
        return False
    return batch.session.station.anchor.staff.filter(pk=user.pk, is_active=True).exists()


def batches_for(user):
    """The batches this person may see and key, newest first."""
    batches = PaperBatch.objects.select_related(
        "envelope__neighbourhood", "envelope__round__fund", "session__station"
    )
    staff_of = Q(session__station__anchor__staff=user)
    if is_officer(user):
        batches = batches.filter(staff_of | Q(envelope__round__fund__council_id=user.council_id))
        return batches.distinct()
    return batches.filter(staff_of).distinct()


def sessions_for(user):
    """Station sessions whose papers this person may start a batch for."""
    sessions = StationSession.objects.filter(
        station__round__phase__in=ENTERING_PHASES
    ).select_related("station__round")
    yours = Q(station__anchor__staff=user)
    if is_officer(user):
        yours |= Q(station__round__fund__council_id=user.council_id)
    return sessions.filter(yours).distinct()


def envelopes_for(user):
    """Envelopes this person may start a batch in: those of their stations' neighbourhoods
    (anchor staff) or of their council (officers), while papers can still be entered."""
    envelopes = Envelope.objects.filter(round__phase__in=ENTERING_PHASES).select_related(
        "round", "neighbourhood"
    )
    return _yours(envelopes, user)


def _yours(envelopes, user):
    staff_of = Q(
        Exists(
            PollingStation.objects.filter(
                round=OuterRef("round"),
                neighbourhoods=OuterRef("neighbourhood"),
                anchor__staff=user,
            )
        )
    )
    if is_officer(user):
        staff_of |= Q(round__fund__council_id=user.council_id)
    return envelopes.filter(staff_of).distinct().order_by("round__name", "neighbourhood__name")


def printable_envelopes(user):
    """Envelopes whose paper ballot this person may print: as ``envelopes_for``, from
    before voting opens until it closes."""
    envelopes = Envelope.objects.filter(
        round__phase__in=[
            Round.Phase.PROPOSALS_OPEN,
            Round.Phase.REVIEW,
            Round.Phase.VOTING_OPEN,
            Round.Phase.VOTING_CLOSED,
        ]
    ).select_related("round", "neighbourhood")
    return _yours(envelopes, user)


# --- Locks and checks -------------------------------------------------------------------


def _lock_envelope(envelope_id: int) -> Envelope:
    """Lock the envelope as a cast does; refuse once its count has started."""
    envelope = (
        Envelope.objects.select_for_update(of=("self",), no_key=True)
        .select_related("round__fund", "neighbourhood")
        .get(pk=envelope_id)
    )
    phase = envelope.round.phase
    if phase in (Round.Phase.DRAFT, Round.Phase.PROPOSALS_OPEN, Round.Phase.REVIEW):
        raise ValidationError(_("Paper ballots can be entered once voting has opened."))
    if phase not in ENTERING_PHASES or (
        EnvelopeCount.objects.filter(envelope_id=envelope_id).exists()
    ):
        raise ValidationError(
            _("This ballot has been counted, so no paper ballots can be entered any more.")
        )
    return envelope


def _lock_batch(batch_id: int) -> tuple[PaperBatch, Envelope]:
    envelope_id = PaperBatch.objects.values_list("envelope_id", flat=True).get(pk=batch_id)
    envelope = _lock_envelope(envelope_id)
    batch = (
        PaperBatch.objects.select_for_update(of=("self",))
        .select_related("session__station__anchor")
        .get(pk=batch_id)
    )
    batch.envelope = envelope
    return batch, envelope


# --- Starting a batch -------------------------------------------------------------------


@transaction.atomic
def batch_start(
    *, user, envelope_id: int, papers: int, session_id: int | None = None, postal_return: str = ""
) -> PaperBatch:
    """A new batch of ``papers`` paper ballots from a station session or a postal return."""
    postal_return = postal_return.strip()
    if (session_id is None) == (not postal_return):
        raise ValidationError(
            _("Choose the station session the papers come from, or name the postal return.")
        )
    if not 1 <= papers <= PAPERS_MAX:
        raise ValidationError(
            _("A batch holds between 1 and %(most)d papers.") % {"most": PAPERS_MAX}
        )
    if not _yours(Envelope.objects.all(), user).filter(pk=envelope_id).exists():
        raise ValidationError(_("You cannot enter paper ballots for that neighbourhood."))
    envelope = _lock_envelope(envelope_id)
    if session_id is not None:
        session = sessions_for(user).filter(pk=session_id).first()
        if session is None or session.station.round_id != envelope.round_id:
            raise ValidationError(_("Choose a session of a station in this round."))
        if not session.station.neighbourhoods.filter(pk=envelope.neighbourhood_id).exists():
            raise ValidationError(
                _("%(place)s does not vote at that station.")
                % {"place": envelope.neighbourhood.local.name}
            )
        _check_papers_issued(session, papers)
    elif not _is_round_officer(user, envelope):
        raise ValidationError(_("Only council officers enter postal returns."))
    return PaperBatch.objects.create(
        envelope=envelope,
        session_id=session_id,
        postal_return=postal_return,
        papers=papers,
        created_by=user,
    )


def _check_papers_issued(session: StationSession, papers: int) -> None:
    """A session's batches hold at most the papers it handed out (each to someone on the
    register); withdrawn batches do not count."""
    # Locked: a session serving two neighbourhoods has batches in two envelopes.
    issued = (
        StationSession.objects.select_for_update()
        .values_list("papers_issued_recorded", flat=True)
        .get(pk=session.pk)
    )
    in_batches = papers_in_batches(session)
    if in_batches + papers > issued:
        raise ValidationError(
            _(
                "Paper ballots handed out on the tablet in this station session: "
                "%(issued)d. Already in its batches: %(in_batches)d. So this batch can hold "
                "at most %(most)d. Only papers handed out with “Give a paper ballot "
                "instead” on the tablet can be entered."
            )
            % {"issued": issued, "in_batches": in_batches, "most": max(issued - in_batches, 0)}
        )


def papers_in_batches(session: StationSession) -> int:
    """Papers in this session's batches that are not withdrawn."""
    return sum(
        PaperBatch.objects.filter(session=session)
        .exclude(status=PaperBatch.Status.WITHDRAWN)
        .values_list("papers", flat=True)
    )


# --- Keying -------------------------------------------------------------------------------


@transaction.atomic
def keying_start(*, batch_id: int, user) -> PaperKeying:
    """This person's keying of the batch, started if new; refused for a third keying or
    for the person who keyed it first."""
    batch, _envelope = _lock_batch(batch_id)
    if not may_key(user, batch):
        raise ValidationError(_("You cannot key this batch."))
    mine = batch.keyings.filter(keyed_by=user).first()
    if mine is not None:
        if mine.finished_at is not None:
            raise ValidationError(str(ALREADY_KEYED))
        return mine
    keyed = batch.keyings.count()
    if batch.status != PaperBatch.Status.KEYING or keyed >= 2:
        raise ValidationError(_("This batch has been keyed twice already."))
    try:
        with transaction.atomic():
            return PaperKeying.objects.create(batch=batch, number=keyed + 1, keyed_by=user)
    except IntegrityError:
        raise ValidationError(_("This batch has been keyed twice already.")) from None


def next_position(keying: PaperKeying) -> int | None:
    """The first paper this keying has not entered yet; None when all are entered."""
    done = set(keying.entries.values_list("position", flat=True))
    return next((n for n in range(1, keying.batch.papers + 1) if n not in done), None)


@transaction.atomic
def paper_enter(
    *,
    batch_id: int,
    user,
    position: int,
    choices: dict[int, int],
    spoilt_reason: str = "",
) -> PaperKeying:
    """Key one paper: its choices, checked by the round's rule, or spoilt with a reason.
    The keying finishes with its last paper; the batch is compared once both have."""
    batch, envelope = _lock_batch(batch_id)
    if batch.status == PaperBatch.Status.WITHDRAWN:
        raise ValidationError(_("This batch has been withdrawn, so nothing more is keyed in it."))
    keying = batch.keyings.filter(keyed_by=user).select_for_update().first()
    if keying is None:
        raise ValidationError(_("Start keying this batch first."))
    if keying.finished_at is not None:
        raise ValidationError(_("You have finished keying this batch."))
    if not 1 <= position <= batch.papers:
        raise ValidationError(_("This batch has no paper %(n)d.") % {"n": position})
    spoilt_reason = spoilt_reason.strip()
    if spoilt_reason:
        if choices:
            raise ValidationError(
                _("A spoilt paper has no choices: untick them, or do not mark it spoilt.")
            )
    else:
        try:
            check_ballot(BallotRule.for_envelope(envelope), choices, ballot_options(envelope))
        except BallotRefused as refused:
            raise ValidationError(
                _(
                    "Paper %(n)d was not saved. %(why)s If the paper itself is like this, "
                    "mark it spoilt or unclear and say why."
                )
                % {"n": position, "why": str(refused)}
            ) from None
    PaperEntry.objects.update_or_create(
        keying=keying,
        position=position,
        defaults={
            "choices": {str(pid): points for pid, points in sorted(choices.items())},
            "spoilt_reason": spoilt_reason,
        },
    )
    if next_position(keying) is None:
        keying.finished_at = timezone.now()
        keying.save(update_fields=["finished_at"])
        _compare_if_both_keyed(batch)
    return keying


def same_reading(first: PaperEntry, second: PaperEntry) -> bool:
    """Whether two keyings read a paper alike: the same choices, and both or neither spoilt."""
    return first.choices == second.choices and bool(first.spoilt_reason) == bool(
        second.spoilt_reason
    )


def _both_keyings(batch: PaperBatch) -> tuple[dict[int, PaperEntry], dict[int, PaperEntry]]:
    keyings = list(batch.keyings.order_by("number").prefetch_related("entries"))
    first, second = ({e.position: e for e in k.entries.all()} for k in keyings)
    return first, second


def _compare_if_both_keyed(batch: PaperBatch) -> None:
    if batch.keyings.filter(finished_at__isnull=False).count() < 2:
        return
    first, second = _both_keyings(batch)
    if all(same_reading(first[n], second[n]) for n in first):
        _check(batch, first, second, {})
    else:
        batch.status = PaperBatch.Status.MISMATCHED
        batch.save(update_fields=["status"])


# --- Differences, and counting the batch --------------------------------------------------


@dataclass(frozen=True)
class Difference:
    position: int
    first: PaperEntry
    second: PaperEntry


def differences(batch: PaperBatch) -> list[Difference]:
    """The papers the two keyings read differently, side by side."""
    if batch.keyings.filter(finished_at__isnull=False).count() < 2:
        return []
    first, second = _both_keyings(batch)
    return [
        Difference(n, first[n], second[n])
        for n in sorted(first)
        if not same_reading(first[n], second[n])
    ]


@transaction.atomic
def batch_resolve(*, batch_id: int, user, decisions: dict[int, str]) -> PaperBatch:
    """A third person decides each paper the keyings differ on, from the paper itself:
    "1" (the first keying is right), "2" (the second is) or "spoilt" (it is unclear)."""
    batch, _envelope = _lock_batch(batch_id)
    if batch.status != PaperBatch.Status.MISMATCHED:
        raise ValidationError(_("This batch has no differences waiting for a decision."))
    if not may_key(user, batch):
        raise ValidationError(_("You cannot decide this batch."))
    if batch.keyings.filter(keyed_by=user).exists():
        raise ValidationError(
            _("You keyed this batch, so someone who did not key it must decide the differences.")
        )
    # A batch is MISMATCHED only once both keyings are finished.
    first, second = _both_keyings(batch)
    positions = [n for n in sorted(first) if not same_reading(first[n], second[n])]
    missing = [n for n in positions if decisions.get(n) not in ("1", "2", SPOILT)]
    if missing:
        raise ValidationError(
            _("Decide every paper that differs. Still to decide: %(papers)s.")
            % {"papers": ", ".join(str(n) for n in missing)}
        )
    batch.decided_by = user
    batch.decided_at = timezone.now()
    _check(batch, first, second, {n: decisions[n] for n in positions})
    return batch


def _check(batch, first, second, decided: dict[int, str]) -> None:
    """Store the batch's papers as checked and its good papers as ballots, and let it count."""
    papers = []
    for n in sorted(first):
        decision = decided.get(n)
        entry = second[n] if decision == "2" else first[n]
        reason = entry.spoilt_reason
        if decision == SPOILT:
            choices, reason = {}, _("Unclear: the two keyings differed and the paper was unclear.")
        else:
            choices = entry.choices
        if not decision and reason and reason.casefold() != second[n].spoilt_reason.casefold():
            reason = f"{reason}; {second[n].spoilt_reason}"[:200]
        papers.append(
            PaperBallot(
                batch=batch,
                position=n,
                choices=choices,
                spoilt_reason=reason,
                decided_by=batch.decided_by if decision else None,
            )
        )
    PaperBallot.objects.bulk_create(papers)
    _store_ballots(batch, [p for p in papers if not p.spoilt])
    batch.status = PaperBatch.Status.CHECKED
    batch.checked_at = timezone.now()
    batch.save(update_fields=["status", "checked_at", "decided_by", "decided_at"])


def _store_ballots(batch: PaperBatch, papers: list[PaperBallot]) -> None:
    ballots = Ballot.objects.bulk_create(
        Ballot(
            envelope_id=batch.envelope_id,
            ballot_key=unlinked_ballot_key(),
            receipt=new_receipt(),
            channel=Channel.PAPER,
        )
        for _paper in papers
    )
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, proposal_id=int(pid), points=points)
        for ballot, paper in zip(ballots, papers, strict=True)
        for pid, points in paper.choices.items()
    )
    if batch.session_id is not None:
        return  # each was put on the register when handed the paper (services.paper_issue)
    voted_on = timezone.localdate(batch.created_at)
    Participation.objects.bulk_create(
        Participation(
            round_id=batch.envelope.round_id,
            envelope_id=batch.envelope_id,
            voter=None,
            channel=Channel.PAPER,
            voted_on=voted_on,
        )
        for _paper in papers
    )


@transaction.atomic
def batch_withdraw(*, batch_id: int, officer, reason: str) -> PaperBatch:
    """An officer of the round's council withdraws a batch that is not checked yet (started
    by mistake, or its papers are lost), while its envelope is not counted.

    None of its papers count; what was keyed stays as the record, and nothing more can
    be keyed in it. A withdrawn batch no longer holds the round's count, and a station's
    papers in it can go into a new batch.
    """
    batch, envelope = _lock_batch(batch_id)
    if not _is_round_officer(officer, envelope):
        raise ValidationError(_("Only an officer of the round's council can withdraw a batch."))
    if batch.is_settled:
        raise ValidationError(_("This batch is settled already and cannot be withdrawn."))
    if not reason.strip():
        raise ValidationError(_("Say why the batch is withdrawn."))
    batch.status = PaperBatch.Status.WITHDRAWN
    batch.decided_by = officer
    batch.decided_at = timezone.now()
    batch.decision_note = reason.strip()
    batch.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return batch


# --- What holds a count -------------------------------------------------------------------


def unsettled_batches(round_id: int) -> list[PaperBatch]:
    return list(
        PaperBatch.objects.filter(envelope__round_id=round_id)
        .exclude(status__in=[PaperBatch.Status.CHECKED, PaperBatch.Status.WITHDRAWN])
        .select_related("session__station")
        .order_by("pk")
    )


def round_paper_holds(round_id: int) -> list[str]:
    """Voting asks this before counting: what stops the round's count, in words."""
    batches = unsettled_batches(round_id)
    if not batches:
        return []
    return [
        _("These paper ballot batches are not checked yet: %(batches)s.")
        % {
            "batches": "; ".join(
                f"{batch} ({batch.get_status_display().lower()})" for batch in batches
            )
        }
    ]
