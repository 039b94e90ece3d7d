import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from budgets.models import Round
from budgets.services import round_advance, round_mark_published, round_phases_skipped
from proposals.models import Proposal
from tests.budgets.factories import EnvelopeFactory, RoundFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db
Phase = Round.Phase


def _round_in(phase):
    envelope = EnvelopeFactory(round__phase=phase)
    ProposalFactory(envelope=envelope, status=Proposal.Status.ON_BALLOT)
    return envelope.round


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (Phase.DRAFT, Phase.PROPOSALS_OPEN),
        (Phase.PROPOSALS_OPEN, Phase.REVIEW),
        (Phase.REVIEW, Phase.VOTING_OPEN),
        (Phase.VOTING_OPEN, Phase.VOTING_CLOSED),
    ],
)
def test_an_officer_moves_a_round_one_phase_on(start, end):
    round_ = _round_in(start)
    assert round_advance(round_id=round_.pk, to_phase=end).phase == end
    round_.refresh_from_db()
    assert round_.phase == end


def test_a_refused_move_is_logged_with_the_round_and_the_phase_asked_for(caplog):
    round_ = _round_in(Phase.PROPOSALS_OPEN)
    caplog.set_level(logging.INFO, logger="budgets.services")
    with pytest.raises(ValidationError):
        round_advance(round_id=round_.pk, to_phase=Phase.VOTING_OPEN)
    [refused] = [r for r in caplog.records if getattr(r, "event", None) == "action.refused"]
    assert (refused.action, refused.round_id, refused.to) == (
        "budgets.round_advance",
        round_.pk,
        Phase.VOTING_OPEN,
    )


def test_it_refuses_to_skip_a_phase():
    round_ = _round_in(Phase.PROPOSALS_OPEN)
    with pytest.raises(ValidationError, match="can only move to “Review”, not “Voting open”"):
        round_advance(round_id=round_.pk, to_phase=Phase.VOTING_OPEN)
    round_.refresh_from_db()
    assert round_.phase == Phase.PROPOSALS_OPEN


def test_it_refuses_to_go_back():
    round_ = _round_in(Phase.VOTING_OPEN)
    with pytest.raises(ValidationError, match="cannot go back from “Voting open” to “Review”"):
        round_advance(round_id=round_.pk, to_phase=Phase.REVIEW)


def test_it_refuses_the_phase_it_is_in():
    round_ = _round_in(Phase.REVIEW)
    with pytest.raises(ValidationError, match="already in the phase “Review”"):
        round_advance(round_id=round_.pk, to_phase=Phase.REVIEW)


def test_counted_comes_from_the_count_not_by_hand():
    round_ = _round_in(Phase.VOTING_CLOSED)
    with pytest.raises(ValidationError, match="when its votes have been counted"):
        round_advance(round_id=round_.pk, to_phase=Phase.COUNTED)


def test_a_round_needs_an_envelope_to_open():
    round_ = RoundFactory(phase=Phase.DRAFT)
    with pytest.raises(ValidationError, match="at least one envelope"):
        round_advance(round_id=round_.pk, to_phase=Phase.PROPOSALS_OPEN)


def test_an_unknown_phase_is_refused():
    round_ = _round_in(Phase.REVIEW)
    with pytest.raises(ValueError):
        round_advance(round_id=round_.pk, to_phase="party")


def test_published_comes_only_from_publishing_the_results():
    round_ = _round_in(Phase.COUNTED)
    with pytest.raises(ValidationError, match="published with “Publish results”"):
        round_advance(round_id=round_.pk, to_phase=Phase.PUBLISHED)
    round_.refresh_from_db()
    assert round_.phase == Phase.COUNTED


def test_marking_published_needs_a_counted_round():
    round_ = _round_in(Phase.VOTING_CLOSED)
    with pytest.raises(ValidationError, match="Only a counted round can be published"):
        round_mark_published(round_id=round_.pk)


def _draft_with_dates(start):
    return EnvelopeFactory(
        round__phase=Phase.DRAFT, round__start=start, amount_pence=1_000_00
    ).round


def test_opening_a_round_whose_dates_are_past_names_the_phases_it_would_skip():
    round_ = _draft_with_dates(timezone.now() - timedelta(days=50))
    with pytest.raises(ValidationError, match="“Review”, “Voting open” are already past"):
        round_advance(round_id=round_.pk, to_phase=Phase.PROPOSALS_OPEN)
    round_.refresh_from_db()
    assert round_.phase == Phase.DRAFT


def test_an_officer_may_confirm_opening_a_round_whose_dates_are_past():
    round_ = _draft_with_dates(timezone.now() - timedelta(days=60))
    assert round_phases_skipped(round_, now=timezone.now()) == [
        Phase.REVIEW,
        Phase.VOTING_OPEN,
        Phase.VOTING_CLOSED,
    ]
    moved = round_advance(
        round_id=round_.pk, to_phase=Phase.PROPOSALS_OPEN, past_dates_confirmed=True
    )
    assert moved.phase == Phase.PROPOSALS_OPEN


def test_a_round_with_future_dates_opens_without_confirmation():
    round_ = _draft_with_dates(timezone.now() - timedelta(hours=1))
    assert round_advance(round_id=round_.pk, to_phase=Phase.PROPOSALS_OPEN).phase == (
        Phase.PROPOSALS_OPEN
    )


def test_voting_cannot_open_while_an_envelope_has_no_idea_on_its_ballot():
    round_ = _round_in(Phase.REVIEW)
    waiting = EnvelopeFactory(round=round_, neighbourhood__name="Splott")
    ProposalFactory(envelope=waiting, status=Proposal.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="no idea on the ballot yet: Splott"):
        round_advance(round_id=round_.pk, to_phase=Phase.VOTING_OPEN)
    round_.refresh_from_db()
    assert round_.phase == Phase.REVIEW
    assert round_.voting_opened_at is None


def test_opening_voting_records_when_it_actually_opened():
    round_ = _round_in(Phase.REVIEW)
    now = timezone.now()
    assert now < round_.voting_opens_at
    round_advance(round_id=round_.pk, to_phase=Phase.VOTING_OPEN, now=now)
    round_.refresh_from_db()
    assert round_.voting_opened_at == now
    voting = next(s for s in round_.phase_timeline() if s["phase"] == Phase.VOTING_OPEN)
    assert voting["starts_at"] == now


def test_closing_voting_early_records_when_it_closed():
    round_ = _round_in(Phase.VOTING_OPEN)
    now = round_.voting_closes_at - timedelta(days=5)

    round_advance(round_id=round_.pk, to_phase=Phase.VOTING_CLOSED, now=now)

    round_.refresh_from_db()
    assert round_.voting_closed_at == now
    assert round_.voting_ended_at == now
    closed_step = next(s for s in round_.phase_timeline() if s["phase"] == Phase.VOTING_CLOSED)
    assert closed_step["starts_at"] == now


def test_closing_by_date_records_when_the_job_closed_it():
    from budgets.services import rounds_advance_by_date

    round_ = _round_in(Phase.VOTING_OPEN)
    now = round_.voting_closes_at + timedelta(minutes=1)

    rounds_advance_by_date(now=now)

    round_.refresh_from_db()
    assert (round_.phase, round_.voting_closed_at) == (Phase.VOTING_CLOSED, now)


def test_other_moves_leave_the_closing_time_alone():
    round_ = _round_in(Phase.REVIEW)
    round_advance(round_id=round_.pk, to_phase=Phase.VOTING_OPEN)
    round_.refresh_from_db()
    assert round_.voting_closed_at is None
    assert round_.voting_ended_at == round_.voting_closes_at


def test_the_database_keeps_the_closing_time_once_recorded():
    from django.db import IntegrityError, transaction

    round_ = _round_in(Phase.VOTING_OPEN)
    round_advance(round_id=round_.pk, to_phase=Phase.VOTING_CLOSED)
    with pytest.raises(IntegrityError, match="voting dates are fixed"), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(voting_closed_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_closed_rounds_by_their_history_or_their_plan():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    with_history = RoundFactory(phase=Phase.VOTING_CLOSED)
    first_closed = with_history.history.earliest("history_date").history_date
    without = RoundFactory(phase=Phase.COUNTED)
    without.history.all().delete()
    still_open = RoundFactory(phase=Phase.VOTING_OPEN)
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    executor.migrate([("budgets", "0009_round_voting_opened_at")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    closed_at = dict(Round.objects.values_list("pk", "voting_closed_at"))
    assert closed_at[with_history.pk] == first_closed
    assert closed_at[without.pk] == without.voting_closes_at
    assert closed_at[still_open.pk] is None
