"""The Celery path through a real worker on Redis (the `celery_worker` fixture)."""

import time

import pytest
from django.db import connection

from budgets.models import Round
from budgets.services import round_advance
from tests.voting.results.factories import ClosedEnvelopeFactory, OnBallotProposalFactory, cast
from voting.results import services
from voting.results.models import EnvelopeCount, ProposalResult
from voting.results.tasks import count_envelope, count_round

pytestmark = pytest.mark.celery_worker


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def phase_of(round_id):
    return Round.objects.values_list("phase", flat=True).get(pk=round_id)


@pytest.fixture
def voted_round(transactional_db, council):
    """A round of three neighbourhoods, each with two proposals and a few ballots."""
    first = ClosedEnvelopeFactory(round__fund__council=council)
    round_ = first.round
    for envelope in [first, *ClosedEnvelopeFactory.create_batch(2, round=round_)]:
        wanted = OnBallotProposalFactory(envelope=envelope, cost_pence=6_000_00)
        other = OnBallotProposalFactory(envelope=envelope, cost_pence=5_000_00)
        cast(envelope, wanted)
        cast(envelope, wanted, other)
    return round_


def test_closing_a_round_counts_every_envelope_as_a_group(celery_worker, voted_round):
    Round.objects.filter(pk=voted_round.pk).update(phase=Round.Phase.VOTING_OPEN)

    round_advance(round_id=voted_round.pk, to_phase=Round.Phase.VOTING_CLOSED)

    assert wait_for(lambda: phase_of(voted_round.pk) == Round.Phase.COUNTED)
    assert EnvelopeCount.objects.filter(envelope__round=voted_round).count() == 3


def test_a_round_that_publishes_automatically_ends_published(celery_worker, voted_round):
    Round.objects.filter(pk=voted_round.pk).update(
        phase=Round.Phase.VOTING_OPEN, publish_automatically=True
    )
    # Ten ballots each: enough that publishing needs no officer's tick.
    for envelope in voted_round.envelopes.all():
        for _ in range(8):
            cast(envelope, envelope.proposals.first())

    round_advance(round_id=voted_round.pk, to_phase=Round.Phase.VOTING_CLOSED)

    assert wait_for(lambda: phase_of(voted_round.pk) == Round.Phase.PUBLISHED)
    assert EnvelopeCount.objects.filter(published_at__isnull=False).count() == 3


def test_a_doubled_trigger_stores_one_outcome_per_envelope(celery_worker, voted_round):
    envelope_ids = list(voted_round.envelopes.values_list("pk", flat=True))

    results = [count_round.delay(voted_round.pk), count_round.delay(voted_round.pk)]
    results += [count_envelope.delay(pk) for pk in envelope_ids]
    for result in results:
        result.get(timeout=30)

    assert wait_for(lambda: phase_of(voted_round.pk) == Round.Phase.COUNTED)
    assert EnvelopeCount.objects.count() == 3
    assert ProposalResult.objects.count() == 6


def test_a_count_whose_connection_dies_midway_is_retried_into_one_outcome(
    celery_worker, voted_round, monkeypatch
):
    envelope = voted_round.envelopes.first()
    stages = []

    def kill_connection_once(stage):
        stages.append(stage)
        if stage == "stored" and stages.count("stored") == 1:
            # The outcome row is written but not committed: end the connection for real.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    # The worker (a thread of this process) calls the service through its module.
    real_count = services.envelope_count
    monkeypatch.setattr(
        services,
        "envelope_count",
        lambda *, envelope_id: real_count(
            envelope_id=envelope_id, on_progress=kill_connection_once
        ),
    )
    pk = count_envelope.delay(envelope.pk).get(timeout=30)

    assert stages.count("stored") == 2
    assert list(EnvelopeCount.objects.values_list("pk", flat=True)) == [pk]
    assert ProposalResult.objects.filter(outcome_id=pk).count() == 2
