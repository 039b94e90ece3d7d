"""Writes to funds, rounds and envelopes. Each checks its rules and refuses clearly."""

import logging
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets import phases
from budgets.locks import round_wait_for_casts
from budgets.models import Envelope, Fund, Round
from budgets.money import format_pence
from budgets.splitting import Share, largest_remainder, weight_for
from config.events import record_refusal
from config.tasks import start_after_commit
from neighbourhoods.models import Neighbourhood

Phase = Round.Phase
logger = logging.getLogger(__name__)


# --- Phases ---------------------------------------------------------------------------


def round_phases_skipped(round_: Round, *, now: datetime) -> list[str]:
    """The phases a draft round would pass through at once if opened now, because their
    start dates are already past (the last one is where it would land)."""
    skipped = []
    phase: str = Phase.PROPOSALS_OPEN
    while (following := phases.next_phase(phase)) in phases.STARTS_AT:
        if getattr(round_, phases.STARTS_AT[following]) > now:
            break
        skipped.append(following)
        phase = following
    return skipped


@transaction.atomic
def round_advance(
    *, round_id: int, to_phase: str, past_dates_confirmed: bool = False, now=None
) -> Round:
    """Move a round one phase forward by hand, or refuse with the reason.

    Opening a round whose later phases' dates are already past is refused unless the
    officer has confirmed it, because the next date check would move it straight on.
    """
    try:
        return _round_advance(round_id, to_phase, past_dates_confirmed, now or timezone.now())
    except ValidationError as error:
        record_refusal(
            logger, action="budgets.round_advance", error=error, round_id=round_id, to=to_phase
        )
        raise


def _round_advance(round_id: int, to_phase: str, past_dates_confirmed: bool, now) -> Round:
    # FOR NO KEY UPDATE: casts in progress hold key-share locks on the round (their
    # register rows refer to it); a full FOR UPDATE would wait for them while they wait
    # for the close (budgets.locks).
    round_ = Round.objects.select_for_update(no_key=True).get(pk=round_id)
    if to_phase != phases.next_phase(round_.phase):
        raise ValidationError(phases.explain_illegal_move(round_.phase, to_phase))
    if to_phase in phases.COUNTING_PHASES:
        raise ValidationError(
            _("A round becomes “Counted” when its votes have been counted, not by hand.")
        )
    if to_phase == Phase.PUBLISHED:
        raise ValidationError(
            _("Results are published with “Publish results”, after reviewing them.")
        )
    if to_phase == Phase.PROPOSALS_OPEN:
        _check_may_open(round_, past_dates_confirmed, now)
    if to_phase == Phase.VOTING_OPEN:
        round_check_may_open_voting(round_=round_)
    return _round_move(round_, to_phase, now)


def _check_may_open(round_: Round, past_dates_confirmed: bool, now: datetime) -> None:
    if not round_.envelopes.exists():
        raise ValidationError(_("Give the round at least one envelope before opening it."))
    skipped = round_phases_skipped(round_, now=now)
    if skipped and not past_dates_confirmed:
        raise ValidationError(
            _(
                "The dates of %(phases)s are already past, so the round would move on to "
                "them within a minute of opening. Change the dates, or confirm."
            )
            % {"phases": ", ".join(f"“{Phase(p).label}”" for p in skipped)},
            code="past_dates",
        )


# Set by proposals when it starts (budgets cannot import it): a function of round_id giving
# {envelope id: number of ideas on that envelope's ballot}.
ballot_sizes_for: Callable[..., dict[int, int]] | None = None


def round_ballot_sizes(round_: Round) -> list[tuple[Envelope, int]]:
    """Each envelope of the round with the number of ideas on its ballot."""
    sizes = ballot_sizes_for(round_id=round_.pk) if ballot_sizes_for else {}
    envelopes = round_.envelopes.select_related("neighbourhood").order_by("neighbourhood__name")
    return [(envelope, sizes.get(envelope.pk, 0)) for envelope in envelopes]


def round_check_may_open_voting(*, round_: Round) -> None:
    """A ballot with no idea on it would greet residents with nothing to vote for."""
    empty = [envelope.neighbourhood.name for envelope, n in round_ballot_sizes(round_) if n == 0]
    if empty:
        raise ValidationError(
            _(
                "Voting cannot open: these envelopes have no idea on the ballot yet: "
                "%(envelopes)s. Put at least one idea on each envelope's ballot first."
            )
            % {"envelopes": ", ".join(empty)},
            code="empty_ballots",
        )


@transaction.atomic
def round_mark_published(*, round_id: int) -> Round:
    """Move a counted round into "Published". Only the results' publish service calls
    this, after making every count public (voting.results.services.round_publish)."""
    round_ = Round.objects.select_for_update().get(pk=round_id)
    if round_.phase != Phase.COUNTED:
        raise ValidationError(
            _("Only a counted round can be published; this round is “%(phase)s”.")
            % {"phase": round_.get_phase_display()}
        )
    return _round_move(round_, Phase.PUBLISHED, timezone.now())


def _round_move(round_: Round, to_phase: str, now: datetime) -> Round:
    """Every phase change, by hand or by date, goes through here; it records when voting
    actually opened and closed (early or not)."""
    fields = ["phase"]
    if (
        round_.voting_opened_at is None
        and not phases.is_at_or_after(round_.phase, Phase.VOTING_OPEN)
        and phases.is_at_or_after(to_phase, Phase.VOTING_OPEN)
    ):
        round_.voting_opened_at = now
        fields.append("voting_opened_at")
    if to_phase == Phase.VOTING_CLOSED:
        _wait_for_ballots_in_flight(round_)
        round_.voting_closed_at = now
        fields.append("voting_closed_at")
    round_.phase = to_phase
    round_.full_clean()
    round_.save(update_fields=fields)
    if to_phase == Phase.VOTING_CLOSED:
        _count_once_committed(round_.pk)
    return round_


@transaction.atomic
def rounds_advance_by_date(*, now: datetime) -> list[tuple[int, str]]:
    """Move every round that has left its draft on to the phase its dates say it is in.

    Returns (round id, new phase) for each move. Rounds locked by another worker are
    skipped and picked up on the next run. A round whose voting may not open yet (an
    envelope with no idea on its ballot) stays before "Voting open", and the refusal is
    logged on every run until an officer settles it.
    """
    moves = []
    candidates = Round.objects.select_for_update(no_key=True, skip_locked=True).filter(
        phase__in=[Phase.PROPOSALS_OPEN, Phase.REVIEW, Phase.VOTING_OPEN]
    )
    for round_ in candidates:
        target = round_.phase
        while (following := phases.next_phase(target)) in phases.STARTS_AT:
            if getattr(round_, phases.STARTS_AT[following]) > now:
                break
            if following == Phase.VOTING_OPEN and not _may_open_voting_by_date(round_):
                break
            target = following
        if target != round_.phase:
            _round_move(round_, target, now)
            moves.append((round_.pk, round_.phase))
    return moves


def _may_open_voting_by_date(round_: Round) -> bool:
    try:
        round_check_may_open_voting(round_=round_)
    except ValidationError as error:
        record_refusal(
            logger,
            action="budgets.rounds_advance_by_date",
            error=error,
            round_id=round_.pk,
            to=Phase.VOTING_OPEN,
        )
        return False
    return True


def _wait_for_ballots_in_flight(round_: Round) -> None:
    """Let every cast in progress finish first; every later cast then sees the round
    closed. (The trigger on the round does this too; taking it first is explicit.)"""
    round_wait_for_casts(round_id=round_.pk)


def _count_once_committed(round_id: int) -> None:
    """Start the count (voting.results.tasks.count_round) once the closing is committed.
    Sent by name: budgets does not depend on the voting app. If the broker is down the
    close still stands: the count-resuming beat job sends it within two minutes."""
    start_after_commit("voting.count_round", round_id=round_id)


# --- Rounds ---------------------------------------------------------------------------


def round_check_change(*, round_: Round) -> None:
    """Raise ValidationError if ``round_`` (changed in memory) may not be saved: once a
    round has left its draft its fund and rules stay as they were."""
    stored = Round.objects.filter(pk=round_.pk).values("phase", "fund_id").first()
    if stored is None:
        return
    if Round.rules_locked(stored["phase"]) and stored["fund_id"] != round_.fund_id:
        raise ValidationError(_("The fund of a round cannot change once the round is open."))
    round_.clean()
    if stored["fund_id"] != round_.fund_id:
        fund = Fund.objects.get(pk=round_.fund_id)
        _check_within_fund(fund, _fund_envelopes_total(fund, moving_round=round_))


def round_delete_refusal(round_: Round) -> str | None:
    if round_.phase == Phase.PUBLISHED:
        return str(
            _(
                "“%(name)s” cannot be deleted: its results are published, and they are "
                "the public record."
            )
            % {"name": round_.name}
        )
    if round_.phase != Phase.DRAFT:
        return str(
            _("“%(name)s” has left its draft, so it is kept with its envelopes and results.")
            % {"name": round_.name}
        )
    return None


def revert_refusal(obj) -> str | None:
    """Why History → Revert may not restore an old version of a fund, round or envelope;
    None if it may. Past the draft, money and rules are fixed, and phases only go on."""
    if isinstance(obj, Fund):
        if obj.rounds.exclude(phase=Phase.DRAFT).exists():
            return str(_("A fund with an open round cannot be reverted; change its total instead."))
        return None
    round_ = obj if isinstance(obj, Round) else obj.round
    current = Round.objects.filter(pk=round_.pk).values_list("phase", flat=True).first()
    if current is not None and current != Phase.DRAFT:
        return str(
            _(
                "“%(name)s” has left its draft, so earlier versions cannot be restored: its "
                "phase, rules and money are fixed."
            )
            % {"name": round_.name}
        )
    return None


# --- Funds ----------------------------------------------------------------------------


def _fund_envelopes_total(fund: Fund, *, moving_round: Round | None = None) -> int:
    """The sum of every envelope of every round of the fund (with ``moving_round``'s
    envelopes counted in, when a round is being moved onto this fund)."""
    rounds = Q(round__fund=fund)
    if moving_round is not None:
        rounds |= Q(round=moving_round)
    return _envelopes_total(Envelope.objects.filter(rounds))


@transaction.atomic
def fund_save(
    *,
    council_id: int,
    name: str,
    total_pence: int,
    source: str = "",
    name_cy: str = "",
    source_cy: str = "",
    fund_id=None,
) -> Fund:
    """Create or change a fund. Its total may never drop below what its rounds' envelopes
    already hand out; the fund row is locked so envelopes saved at once are counted."""
    if fund_id is None:
        fund = Fund(council_id=council_id)
    else:
        fund = Fund.objects.select_for_update().get(pk=fund_id)
        if fund.council_id != council_id and fund.rounds.exists():
            raise ValidationError(_("A fund with rounds cannot move to another council."))
        fund.council_id = council_id
    fund.name, fund.total_pence, fund.source = name, total_pence, source
    fund.name_cy, fund.source_cy = name_cy, source_cy
    if fund_id is not None:
        fund_check_total(fund=fund)
    fund.full_clean()
    fund.save()
    return fund


def fund_check_total(*, fund: Fund) -> None:
    handed_out = _fund_envelopes_total(fund)
    if fund.pk and fund.total_pence < handed_out:
        raise ValidationError(
            _(
                "The rounds of this fund already hand out %(handed)s in envelopes, more than "
                "%(total)s. Lower their envelopes first, or keep the total at %(handed)s or more."
            )
            % {
                "handed": format_pence(handed_out),
                "total": format_pence(fund.total_pence),
            }
        )


# --- Envelopes ------------------------------------------------------------------------


def _check_envelopes_may_change(round_: Round) -> None:
    if phases.is_at_or_after(round_.phase, phases.RULES_LOCKED_FROM):
        raise ValidationError(
            _("The envelopes of “%(name)s” are fixed: the round has left its draft.")
            % {"name": round_.name}
        )


def _envelopes_total(envelopes) -> int:
    return envelopes.aggregate(total=Sum("amount_pence"))["total"] or 0


def _check_within_fund(fund: Fund, total_pence: int) -> None:
    if total_pence > fund.total_pence:
        raise ValidationError(
            _(
                "The envelopes of this fund's rounds would add up to %(total)s, more than "
                "the fund's %(fund)s. Lower an envelope or the amount to split."
            )
            % {"total": format_pence(total_pence), "fund": format_pence(fund.total_pence)}
        )


def envelope_check(
    *, round_: Round, neighbourhood: Neighbourhood, amount_pence: int, envelope_id=None
) -> None:
    """Raise ValidationError if this envelope may not be saved as given."""
    _check_envelopes_may_change(round_)
    if envelope_id is not None:
        stored = Envelope.objects.select_related("round").filter(pk=envelope_id).first()
        if stored is not None:
            _check_envelopes_may_change(stored.round)
    if neighbourhood.council_id != round_.fund.council_id:
        raise ValidationError(_("The neighbourhood belongs to another council than the fund."))
    others = _envelopes_total(
        Envelope.objects.filter(round__fund=round_.fund_id).exclude(pk=envelope_id)
    )
    _check_within_fund(round_.fund, others + amount_pence)


@transaction.atomic
def envelope_save(
    *, round_id: int, neighbourhood_id: int, amount_pence: int, envelope_id=None
) -> Envelope:
    # Lock the fund so two officers saving envelopes at once cannot overspend it together.
    round_ = Round.objects.select_related("fund").get(pk=round_id)
    round_.fund = Fund.objects.select_for_update().get(pk=round_.fund_id)
    neighbourhood = Neighbourhood.objects.get(pk=neighbourhood_id)
    envelope_check(
        round_=round_,
        neighbourhood=neighbourhood,
        amount_pence=amount_pence,
        envelope_id=envelope_id,
    )
    envelope = Envelope.objects.get(pk=envelope_id) if envelope_id else Envelope(round=round_)
    envelope.round = round_
    envelope.neighbourhood = neighbourhood
    envelope.amount_pence = amount_pence
    envelope.full_clean()
    envelope.save()
    return envelope


def envelope_delete_refusal(envelope: Envelope) -> str | None:
    try:
        _check_envelopes_may_change(envelope.round)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def envelopes_split_preview(
    *, round_: Round, method: str, neighbourhoods: list[Neighbourhood], amount_pence: int
) -> list[Share]:
    """The envelopes a split would give, without saving anything."""
    if not neighbourhoods:
        raise ValidationError(_("Choose at least one neighbourhood."))
    ordered = sorted(neighbourhoods, key=lambda n: n.name)
    weights = [
        weight_for(method, population=n.population, deprivation_weight=n.deprivation_weight)
        for n in ordered
    ]
    if sum(weights) <= 0:
        raise ValidationError(
            _("None of the chosen neighbourhoods has a population, so they cannot be split by it.")
        )
    _check_split_within_fund(round_, [n.pk for n in ordered], amount_pence)
    amounts = largest_remainder(amount_pence, weights)
    return [
        Share(neighbourhood_id=n.pk, name=n.name, weight=w, amount_pence=a)
        for n, w, a in zip(ordered, weights, amounts, strict=True)
    ]


def _check_split_within_fund(round_: Round, neighbourhood_ids: list[int], amount_pence: int):
    """The preview says so as well as the save: the split, with every other envelope of
    the fund's rounds, must fit in the fund."""
    untouched = _envelopes_total(
        Envelope.objects.filter(round__fund=round_.fund_id).exclude(
            round=round_, neighbourhood_id__in=neighbourhood_ids
        )
    )
    _check_within_fund(round_.fund, untouched + amount_pence)


@transaction.atomic
def envelopes_split(
    *, round_id: int, method: str, neighbourhood_ids: list[int], amount_pence: int
) -> list[Envelope]:
    """Set the chosen neighbourhoods' envelopes to their share of ``amount_pence``."""
    round_ = Round.objects.select_related("fund").get(pk=round_id)
    Fund.objects.select_for_update().get(pk=round_.fund_id)
    _check_envelopes_may_change(round_)
    neighbourhoods = list(
        Neighbourhood.objects.filter(pk__in=neighbourhood_ids, council_id=round_.fund.council_id)
    )
    if len(neighbourhoods) != len(set(neighbourhood_ids)):
        raise ValidationError(_("Every neighbourhood must belong to the fund's council."))
    shares = envelopes_split_preview(
        round_=round_, method=method, neighbourhoods=neighbourhoods, amount_pence=amount_pence
    )
    envelopes = []
    for share in shares:
        envelope, _created = Envelope.objects.update_or_create(
            round=round_,
            neighbourhood_id=share.neighbourhood_id,
            defaults={"amount_pence": share.amount_pence},
        )
        envelopes.append(envelope)
    return envelopes
