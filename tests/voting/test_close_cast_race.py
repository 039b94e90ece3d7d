"""Closing a round and casting a ballot never interleave: every cast commits before the
close or is refused as closed. Real threads, real PostgreSQL locks, held mid-way."""

import threading
import uuid

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from budgets.models import Round
from budgets.services import round_advance
from tests.database import database_url, lock_waiters
from tests.voting.conftest import make_voting_envelope
from tests.waiting import wait_for
from voting.models import Ballot
from voting.services import ballot_cast

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(function):
    box = {}

    def run():
        try:
            box["result"] = function()
        except Exception as error:
            box["result"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def _cast(resident, envelope, key=None):
    choice = envelope.proposals.first().pk
    return lambda: ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={choice: 1},
        idempotency_key=key or uuid.uuid4(),
    )


def test_a_cast_sent_while_the_close_is_held_midway_is_refused(council, resident):
    envelope = make_voting_envelope(council)
    closed = threading.Event()
    release = threading.Event()

    def close_and_hold():
        with transaction.atomic():
            round_advance(round_id=envelope.round_id, to_phase=Round.Phase.VOTING_CLOSED)
            closed.set()
            release.wait(60)  # the phase is changed but not committed

    closer, _ = _in_thread(close_and_hold)
    assert closed.wait(60)
    with psycopg.connect(database_url(), autocommit=True) as watcher:
        caster, box = _in_thread(_cast(resident, envelope))
        wait_for(lambda: lock_waiters(watcher, "advisory"), message="the cast to wait")
        release.set()
        closer.join(60)
        caster.join(60)

    assert isinstance(box["result"], ValidationError)
    assert "Voting has closed" in " ".join(box["result"].messages)
    assert Ballot.objects.exists() is False
    assert Round.objects.get(pk=envelope.round_id).phase == Round.Phase.VOTING_CLOSED


def test_a_close_waits_for_a_cast_in_progress_which_then_stands(council, resident):
    envelope = make_voting_envelope(council)
    key = uuid.uuid4()
    with (
        psycopg.connect(database_url()) as blocker,
        psycopg.connect(database_url(), autocommit=True) as watcher,
    ):
        # The cast is held mid-way: it has read the phase, and waits to record its key.
        blocker.execute("INSERT INTO voting_submissionkey (key, owner) VALUES (%s, 'x')", [key])
        caster, box = _in_thread(_cast(resident, envelope, key))
        wait_for(lambda: lock_waiters(watcher, "transactionid"), message="the cast to wait")
        closer, closing = _in_thread(
            lambda: round_advance(round_id=envelope.round_id, to_phase=Round.Phase.VOTING_CLOSED)
        )
        wait_for(lambda: lock_waiters(watcher, "advisory"), message="the close to wait")
        assert Round.objects.get(pk=envelope.round_id).phase == Round.Phase.VOTING_OPEN
        blocker.rollback()
        caster.join(60)
        closer.join(60)

    assert box["result"].receipt
    assert closing["result"].phase == Round.Phase.VOTING_CLOSED
    assert Ballot.objects.get().receipt == box["result"].receipt


def test_a_close_is_not_starved_by_a_stream_of_casts(council, resident):
    """Casts keep coming while the close waits; advisory locks queue fairly, so the
    close goes through and every cast after it is refused."""
    from tests.accounts.factories import UserFactory

    envelope = make_voting_envelope(council)
    voters = [UserFactory(home_postcode="CF24 2AB") for _ in range(40)]
    stop = threading.Event()
    outcomes = []

    def stream(batch):
        try:
            for voter in batch:
                if stop.is_set():
                    return
                try:
                    _cast(voter, envelope)()
                    outcomes.append("stored")
                except ValidationError:
                    outcomes.append("closed")
        finally:
            connection.close()

    streams = [threading.Thread(target=stream, args=(voters[i::4],)) for i in range(4)]
    for thread in streams:
        thread.start()
    wait_for(lambda: outcomes, message="some casts to be stored")
    round_advance(round_id=envelope.round_id, to_phase=Round.Phase.VOTING_CLOSED)
    stop.set()
    for thread in streams:
        thread.join(60)
    connection.close()

    # Every cast reported stored is in the database, and nothing else is.
    assert Round.objects.get(pk=envelope.round_id).phase == Round.Phase.VOTING_CLOSED
    assert Ballot.objects.count() == outcomes.count("stored")
    with pytest.raises(ValidationError, match="Voting has closed"):
        _cast(resident, envelope)()
