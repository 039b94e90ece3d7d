"""A worker process killed in the middle of a count: the task runs again, one outcome.

A real `celery worker` (prefork, one child) runs against the test database. The test
holds a row lock on a proposal, so the count, with everything written, stops at its commit
(where PostgreSQL checks the results' foreign keys), still holding the envelope's lock.
The child process is then SIGKILLed.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings

from voting.results.models import EnvelopeCount, ProposalResult
from voting.results.tasks import count_envelope

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    socket_dir = db.get("OPTIONS", {}).get("host")
    if not db.get("HOST") and socket_dir:
        # The embedded PostgreSQL listens on a socket in the project's .local folder.
        return f"postgres://{quote(db['USER'])}{password}@/{db['NAME']}?host={quote(socket_dir)}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}{port}/{db['NAME']}"


def waiting_counts(conn) -> list[int]:
    """Database backends of the test database waiting for a lock: only the count does."""
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    ).fetchall()
    return [row[0] for row in rows]


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def worker_process():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork"]
    command += ["--concurrency=1", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "-l", "warning"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def child_of(process) -> int:
    output = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    return int(output[0]) if output else 0


def test_a_killed_worker_leaves_the_task_to_run_again_into_one_outcome(
    closed_envelope, worker_process
):
    proposal = closed_envelope.proposals_by_title["art"]
    with (
        psycopg.connect(database_url(), autocommit=True) as watcher,
        psycopg.connect(database_url()) as blocker,
    ):
        blocker.execute("SELECT 1 FROM proposals_proposal WHERE id = %s FOR UPDATE", [proposal.pk])
        result = count_envelope.delay(closed_envelope.pk)

        first = wait_for(lambda: waiting_counts(watcher))
        child = wait_for(lambda: child_of(worker_process))
        os.kill(child, signal.SIGKILL)
        # The message goes back to the queue; a new child counts again and waits again.
        wait_for(lambda: [pid for pid in waiting_counts(watcher) if pid not in first])
        assert EnvelopeCount.objects.exists() is False
        blocker.rollback()

        pk = result.get(timeout=60)

    assert list(EnvelopeCount.objects.values_list("pk", flat=True)) == [pk]
    assert ProposalResult.objects.filter(outcome_id=pk).count() == 3
