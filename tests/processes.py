"""Real processes for fault tests: Celery workers, gunicorn, a private Redis, each in its
own process group so a test can kill it whole, as an outage or the OOM killer would."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings

from tests.database import database_url
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[1]


def environment(**extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "TEST_CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "TEST_CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        **extra,
    }


def start(command: list[str], *, pass_fds: tuple[int, ...] = (), **extra_env) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment(**extra_env),
        start_new_session=True,
        pass_fds=pass_fds,
    )


def kill_group(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Signal the process and every process it started."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    kill_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        process.wait()


def empty_queue() -> None:
    """Drop every message waiting in this test process's queue.

    A worker stopped at the end of a test puts back what it had taken but not run (tasks
    ack late); left there, the next test's worker would run them, changing that test's
    database and emails while it checks them (a count of an envelope already gone, an
    outbox sent before the test looks)."""
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


@contextmanager
def celery_worker(*, beat: bool = False, concurrency: int = 1, **extra_env):
    """A `celery worker` (prefork) on this test process's queue; with beat inside if
    asked, its schedule kept in a temporary folder. The queue is emptied once it stops."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork"]
        command += [f"--concurrency={concurrency}", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE]
        command += ["-l", "warning", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat"]
        if beat:
            command += ["-B", "-s", str(Path(folder) / "beat-schedule")]
        process = start(command, **extra_env)
        try:
            yield process
        finally:
            stop(process)
            empty_queue()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for_port(port: int, timeout: float = 90) -> None:
    wait_for(lambda: port_answers(port), timeout=timeout, message=f"port {port} to answer")
