"""Workers killed in the middle of a count: the count runs again, into one outcome.

Real `celery worker` processes (prefork, one child) run against the test database. The
test holds a lock that stops the count part-way, with its outcome written but not
committed, then kills the worker: first only its pool child (the master puts the task
back), then the whole process group, master and beat included, as the OOM killer or a
lost machine would (nothing puts it back; the "resume-counts" beat job of the next worker
must find it).
"""

import os
import signal

import psycopg
import pytest

from budgets.models import Round
from tests.database import database_url, lock_waiters
from tests.processes import celery_worker, kill_group
from tests.waiting import wait_for
from voting.results.models import EnvelopeCount, ProposalResult
from voting.results.tasks import count_envelope

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def child_of(pid: int) -> int:
    import subprocess

    output = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    return int(output[0]) if output else 0


def backends_alive(conn, pids) -> list[int]:
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)]
    ).fetchall()
    return [row[0] for row in rows]


def hold_counts_midway(blocker) -> None:
    """A count writes its outcome, then waits to write the proposals' results."""
    blocker.execute("LOCK TABLE voting_proposalresult IN SHARE MODE")


def test_a_killed_pool_child_leaves_the_task_to_run_again_into_one_outcome(closed_envelope):
    with (
        psycopg.connect(database_url(), autocommit=True) as watcher,
        psycopg.connect(database_url()) as blocker,
        celery_worker() as worker,
    ):
        hold_counts_midway(blocker)
        result = count_envelope.delay(closed_envelope.pk)
        first = wait_for(lambda: lock_waiters(watcher, "relation"))
        os.kill(wait_for(lambda: child_of(worker.pid)), signal.SIGKILL)
        # The message goes back to the queue; a new child counts again and waits (for the
        # envelope, which the killed child's session still holds).
        wait_for(lambda: [pid for pid in lock_waiters(watcher) if pid not in first])
        blocker.rollback()
        pk = result.get(timeout=120)
        # The killed child's database session ends once it finds its client gone.
        wait_for(lambda: not backends_alive(watcher, first))

    assert list(EnvelopeCount.objects.values_list("pk", flat=True)) == [pk]
    assert ProposalResult.objects.filter(outcome_id=pk).count() == 3


def test_a_worker_killed_whole_mid_count_is_resumed_by_the_next_ones_beat(closed_envelope):
    with (
        psycopg.connect(database_url(), autocommit=True) as watcher,
        psycopg.connect(database_url()) as blocker,
    ):
        hold_counts_midway(blocker)
        with celery_worker(beat=True) as doomed:
            count_envelope.delay(closed_envelope.pk)
            counting = wait_for(lambda: lock_waiters(watcher, "relation"))
            kill_group(doomed)  # master, pool child and beat, all at once
            doomed.wait(30)
        blocker.rollback()
        wait_for(lambda: not backends_alive(watcher, counting))
        # Rolled back: nothing of the count survives, and no worker is left to redo it.
        assert EnvelopeCount.objects.exists() is False

        # A new worker's beat finds the envelope uncounted and unlocked, and counts it.
        with celery_worker(beat=True, COUNT_RESUME_SECONDS="3"):
            wait_for(
                lambda: Round.objects.get(pk=closed_envelope.round_id).phase == Round.Phase.COUNTED,
                timeout=120,
                message="the round to be counted",
            )

    [outcome] = EnvelopeCount.objects.all()
    assert outcome.envelope_id == closed_envelope.pk
    assert ProposalResult.objects.filter(outcome=outcome).count() == 3
