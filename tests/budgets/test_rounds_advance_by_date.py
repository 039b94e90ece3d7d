from datetime import timedelta

import pytest
from django.utils import timezone

from budgets.models import Round
from budgets.services import rounds_advance_by_date
from budgets.tasks import advance_round_phases
from proposals.models import Proposal
from tests.budgets.factories import EnvelopeFactory, RoundFactory
from tests.proposals.factories import ProposalFactory

Phase = Round.Phase


def _round(phase, *, days_since_start):
    return RoundFactory(phase=phase, start=timezone.now() - timedelta(days=days_since_start))


@pytest.mark.django_db
def test_rounds_follow_their_dates():
    # Factory dates: review after 28 days, voting 42 to 56.
    early = _round(Phase.PROPOSALS_OPEN, days_since_start=3)
    in_review = _round(Phase.PROPOSALS_OPEN, days_since_start=30)
    voting = _round(Phase.REVIEW, days_since_start=43)
    closed = _round(Phase.VOTING_OPEN, days_since_start=57)

    moves = rounds_advance_by_date(now=timezone.now())

    assert sorted(moves) == sorted(
        [
            (in_review.pk, Phase.REVIEW),
            (voting.pk, Phase.VOTING_OPEN),
            (closed.pk, Phase.VOTING_CLOSED),
        ]
    )
    early.refresh_from_db()
    assert early.phase == Phase.PROPOSALS_OPEN


@pytest.mark.django_db
def test_a_round_catches_up_several_phases_at_once():
    late = _round(Phase.PROPOSALS_OPEN, days_since_start=60)
    rounds_advance_by_date(now=timezone.now())
    late.refresh_from_db()
    assert late.phase == Phase.VOTING_CLOSED


@pytest.mark.django_db
def test_drafts_and_closed_rounds_are_left_alone():
    draft = _round(Phase.DRAFT, days_since_start=60)
    closed = _round(Phase.VOTING_CLOSED, days_since_start=60)
    assert rounds_advance_by_date(now=timezone.now()) == []
    draft.refresh_from_db()
    closed.refresh_from_db()
    assert (draft.phase, closed.phase) == (Phase.DRAFT, Phase.VOTING_CLOSED)


@pytest.mark.celery_worker
def test_the_beat_task_moves_rounds_through_a_real_worker(celery_worker):
    round_ = _round(Phase.PROPOSALS_OPEN, days_since_start=30)
    result = advance_round_phases.delay()
    assert result.get(timeout=20) == [[round_.pk, Phase.REVIEW]]
    round_.refresh_from_db()
    assert round_.phase == Phase.REVIEW


@pytest.mark.django_db
def test_a_round_with_an_empty_ballot_stays_in_review_and_the_refusal_is_logged(caplog):
    round_ = _round(Phase.REVIEW, days_since_start=43)
    ProposalFactory(envelope__round=round_, status=Proposal.Status.ON_BALLOT)
    EnvelopeFactory(round=round_)
    caplog.set_level("INFO", logger="budgets.services")

    assert rounds_advance_by_date(now=timezone.now()) == []

    round_.refresh_from_db()
    assert (round_.phase, round_.voting_opened_at) == (Phase.REVIEW, None)
    refusal = next(r for r in caplog.records if r.getMessage() == "action.refused")
    assert (refusal.round_id, refusal.codes) == (round_.pk, ["empty_ballots"])


@pytest.mark.django_db
def test_a_round_opened_by_date_records_when_voting_opened():
    round_ = _round(Phase.REVIEW, days_since_start=43)
    ProposalFactory(envelope__round=round_, status=Proposal.Status.ON_BALLOT)
    now = timezone.now()
    rounds_advance_by_date(now=now)
    round_.refresh_from_db()
    assert (round_.phase, round_.voting_opened_at) == (Phase.VOTING_OPEN, now)
