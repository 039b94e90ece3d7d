"""Writes to funds, rounds and envelopes. Each checks its rules and refuses clearly."""

import logging
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from budgets import phases
from budgets.locks import round_wait_for_casts
from budgets.models import Envelope, Fund, Round
from budgets.splitting import Share, largest_remainder, weight_for
from config.celery import app as celery_app
from neighbourhoods.models import Neighbourhood

Phase = Round.Phase
logger = logging.getLogger(__name__)


def _format_pounds(pence: int) -> str:
    pounds, pennies = divmod(pence, 100)
    return f"£{pounds:,}" + (f".{pennies:02d}" if pennies else "")


# --- Phases ---------------------------------------------------------------------------


@transaction.atomic
def round_advance(*, round_id: int, to_phase: str) -> Round:
    """Move a round one phase forward by hand, or refuse with the reason."""
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
    if to_phase == Phase.PROPOSALS_OPEN and not round_.envelopes.exists():
        raise ValidationError(_("Give the round at least one envelope before opening it."))
    if to_phase == Phase.VOTING_CLOSED:
        _wait_for_ballots_in_flight(round_)
    round_.phase = to_phase
    round_.full_clean()
    round_.save(update_fields=["phase"])
    if to_phase == Phase.VOTING_CLOSED:
        _count_once_committed(round_.pk)
    return round_


@transaction.atomic
def rounds_advance_by_date(*, now: datetime) -> list[tuple[int, str]]:
    """Move every round that has left its draft on to the phase its dates say it is in.

    Returns (round id, new phase) for each move. Rounds locked by another worker are
    skipped and picked up on the next run.
    """
    moves = []
    candidates = Round.objects.select_for_update(no_key=True, skip_locked=True).filter(
        phase__in=[Phase.PROPOSALS_OPEN, Phase.REVIEW, Phase.VOTING_OPEN]
    )
    for round_ in candidates:
        start_phase = round_.phase
        while (following := phases.next_phase(round_.phase)) in phases.STARTS_AT:
            if getattr(round_, phases.STARTS_AT[following]) > now:
                break
            round_.phase = following
        if round_.phase != start_phase:
            if round_.phase == Phase.VOTING_CLOSED:
                _wait_for_ballots_in_flight(round_)
            round_.save(update_fields=["phase"])
            if round_.phase == Phase.VOTING_CLOSED:
                _count_once_committed(round_.pk)
            moves.append((round_.pk, round_.phase))
    return moves


def _wait_for_ballots_in_flight(round_: Round) -> None:
    """Let every cast in progress finish first; every later cast then sees the round
    closed. (The trigger on the round does this too; taking it first is explicit.)"""
    round_wait_for_casts(round_id=round_.pk)


def _count_once_committed(round_id: int) -> None:
    """Start the count (voting.results.tasks.count_round) once the closing is committed.
    Sent by name: budgets does not depend on the voting app. If the broker is down the
    close still stands: the count-resuming beat job sends it within two minutes."""
    transaction.on_commit(partial(_send_count, round_id), robust=True)


def _send_count(round_id: int) -> None:
    try:
        celery_app.send_task(
            "voting.count_round", kwargs={"round_id": round_id}, ignore_result=True, retry=False
        )
    except Exception:  # the broker's errors vary by transport; none may fail the close
        logger.warning("Could not send the count of round %s; beat will resend it", round_id)


# --- Envelopes ------------------------------------------------------------------------


def _check_envelopes_may_change(round_: Round) -> None:
    if phases.is_at_or_after(round_.phase, phases.RULES_LOCKED_FROM):
        raise ValidationError(_("Envelopes are fixed once voting has opened."))


def _envelopes_total(envelopes) -> int:
    return envelopes.aggregate(total=Sum("amount_pence"))["total"] or 0


def _check_within_fund(fund: Fund, total_pence: int) -> None:
    if total_pence > fund.total_pence:
        raise ValidationError(
            _(
                "The envelopes of this round would add up to %(total)s, more than the "
                "fund's %(fund)s. Lower an envelope or the amount to split."
            )
            % {"total": _format_pounds(total_pence), "fund": _format_pounds(fund.total_pence)}
        )


def envelope_check(
    *, round_: Round, neighbourhood: Neighbourhood, amount_pence: int, envelope_id=None
) -> None:
    """Raise ValidationError if this envelope may not be saved as given."""
    _check_envelopes_may_change(round_)
    if neighbourhood.council_id != round_.fund.council_id:
        raise ValidationError(_("The neighbourhood belongs to another council than the fund."))
    others = _envelopes_total(Envelope.objects.filter(round=round_).exclude(pk=envelope_id))
    _check_within_fund(round_.fund, others + amount_pence)


@transaction.atomic
def envelope_save(
    *, round_id: int, neighbourhood_id: int, amount_pence: int, envelope_id=None
) -> Envelope:
    # Lock the fund so two officers saving envelopes at once cannot overspend it together.
    round_ = Round.objects.select_related("fund").get(pk=round_id)
    Fund.objects.select_for_update().get(pk=round_.fund_id)
    neighbourhood = Neighbourhood.objects.get(pk=neighbourhood_id)
    envelope_check(
        round_=round_,
        neighbourhood=neighbourhood,
        amount_pence=amount_pence,
        envelope_id=envelope_id,
    )
    envelope = Envelope.objects.get(pk=envelope_id) if envelope_id else Envelope(round=round_)
    envelope.neighbourhood = neighbourhood
    envelope.amount_pence = amount_pence
    envelope.full_clean()
    envelope.save()
    return envelope


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
    amounts = largest_remainder(amount_pence, weights)
    return [
        Share(neighbourhood_id=n.pk, name=n.name, weight=w, amount_pence=a)
        for n, w, a in zip(ordered, weights, amounts, strict=True)
    ]


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
    untouched = _envelopes_total(
        Envelope.objects.filter(round=round_).exclude(neighbourhood_id__in=neighbourhood_ids)
    )
    _check_within_fund(round_.fund, untouched + amount_pence)
    envelopes = []
    for share in shares:
        envelope, _created = Envelope.objects.update_or_create(
            round=round_,
            neighbourhood_id=share.neighbourhood_id,
            defaults={"amount_pence": share.amount_pence},
        )
        envelopes.append(envelope)
    return envelopes
