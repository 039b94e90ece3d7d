import pytest
from django.core.exceptions import ValidationError

from budgets.models import Round
from tests.voting.results.factories import ClosedEnvelopeFactory
from voting.results.services import envelope_count, round_count_request, round_count_start


def test_it_lists_the_envelopes_not_yet_counted(closed_envelope):
    other = ClosedEnvelopeFactory(round=closed_envelope.round)
    envelope_count(envelope_id=other.pk)

    assert round_count_start(round_id=closed_envelope.round_id) == [closed_envelope.pk]


def test_it_finishes_a_round_whose_envelopes_are_all_counted(closed_envelope):
    envelope_count(envelope_id=closed_envelope.pk)
    Round.objects.filter(pk=closed_envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)

    assert round_count_start(round_id=closed_envelope.round_id) == []
    closed_envelope.round.refresh_from_db()
    assert closed_envelope.round.phase == Round.Phase.COUNTED


def test_it_refuses_a_round_whose_voting_is_open(closed_envelope):
    Round.objects.filter(pk=closed_envelope.round_id).update(phase=Round.Phase.VOTING_OPEN)

    with pytest.raises(ValidationError, match="only once its voting has closed"):
        round_count_start(round_id=closed_envelope.round_id)


def test_count_now_refuses_a_round_already_counted(closed_envelope):
    envelope_count(envelope_id=closed_envelope.pk)

    with pytest.raises(ValidationError, match="is not counted yet"):
        round_count_request(round_id=closed_envelope.round_id)


def test_count_now_starts_the_count_once_committed(
    closed_envelope, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        round_count_request(round_id=closed_envelope.round_id)

    assert len(callbacks) == 1
