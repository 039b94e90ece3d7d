"""The embedded PostgreSQL and Redis that run when no URLs are configured.

CI points the suite at the machine's own servers, so this test starts the embedded ones
itself, in a temporary folder, exactly as a newcomer's first ``make run`` would.
"""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _embedded(command: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "config.embedded", command],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def embedded_env(tmp_path):
    # A short folder name keeps PostgreSQL's socket path inside the kernel's limit.
    data_dir = Path("/tmp") / f"nd-emb-{os.getpid()}"
    env = {
        **os.environ,
        "EMBEDDED_DATA_DIR": str(data_dir),
        "EMBEDDED_REDIS_PORT": str(_free_port()),
    }
    yield env
    _embedded("stop", env)
    subprocess.run(["rm", "-rf", str(data_dir)], check=False)


def test_it_starts_postgresql_and_redis_then_stops_them(embedded_env):
    urls = dict(line.split("=", 1) for line in _embedded("urls", embedded_env).split())

    socket_dir = parse_qs(urlsplit(urls["DATABASE_URL"]).query)["host"][0]
    with psycopg.connect(
        host=socket_dir, user="postgres", dbname="neighbourhood_democracy"
    ) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    assert version.startswith("18.")
    assert Redis.from_url(urls["REDIS_URL"]).ping() is True

    assert _embedded("urls", embedded_env).split() == [f"{k}={v}" for k, v in urls.items()]

    _embedded("stop", embedded_env)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            host=socket_dir, user="postgres", dbname="neighbourhood_democracy", connect_timeout=2
        )
    with pytest.raises(RedisConnectionError):
        Redis.from_url(urls["REDIS_URL"], socket_connect_timeout=1).ping()


def _redis_only(code: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"from config import embedded; {code}"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_two_checkouts_never_share_or_stop_each_other_s_redis(embedded_env):
    """A second checkout finds the usual port held by the first one's Redis: it starts its
    own on another port, and stopping it leaves the first one running."""
    other_dir = Path("/tmp") / f"nd-emb-other-{os.getpid()}"
    other_env = {**embedded_env, "EMBEDDED_DATA_DIR": str(other_dir)}
    try:
        first = _redis_only("print(embedded.redis_url())", embedded_env)
        second = _redis_only("print(embedded.redis_url())", other_env)
        assert first != second
        assert _redis_only("print(embedded.redis_url())", other_env) == second

        _redis_only("embedded.stop(postgres=False)", other_env)
        assert Redis.from_url(first).ping() is True
        with pytest.raises(RedisConnectionError):
            Redis.from_url(second, socket_connect_timeout=1).ping()
    finally:
        _redis_only("embedded.stop(postgres=False)", other_env)
        subprocess.run(["rm", "-rf", str(other_dir)], check=False)


def test_finding_a_port_for_redis_knocks_on_each_port_once(embedded_env):
    """A port held by something that is not Redis (it never answers) is passed over after
    one look, not looked at again to decide whether it is free."""
    knocks, done = [], threading.Event()
    with socket.create_server(("127.0.0.1", int(embedded_env["EMBEDDED_REDIS_PORT"]))) as held:
        held.settimeout(0.1)

        def count_knocks():
            while not done.is_set():
                try:
                    knocks.append(held.accept()[0])
                except TimeoutError:
                    continue

        listener = threading.Thread(target=count_knocks)
        listener.start()
        try:
            url = _redis_only("print(embedded.redis_url())", embedded_env)
        finally:
            done.set()
            listener.join()
    for conn in knocks:
        conn.close()

    assert not url.endswith(f":{embedded_env['EMBEDDED_REDIS_PORT']}/0")
    assert Redis.from_url(url).ping() is True
    assert len(knocks) == 1
