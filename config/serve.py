"""Run the whole platform locally: database, Redis, migrations, demo data, Celery, web.

``make run`` calls this. Without DATABASE_URL / REDIS_URL it starts the embedded
PostgreSQL and Redis; Ctrl-C stops every process it started, servers included.
"""

import os
import signal
import subprocess
import sys
import time

import environ

from config import embedded
from config.environment import read_dotenv

# RUN_ADDRESS (environment or .env) is where runserver listens, like "127.0.0.1:8011".
read_dotenv()
HOST_PORT = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")


def site_url_for(host_port: str) -> str:
    """The address emails should link to when the site is served at ``host_port``: a
    server listening on every interface (0.0.0.0) is reached on this machine at 127.0.0.1."""
    host, _, port = host_port.rpartition(":")
    if host in ("", "0.0.0.0", "0", "::", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


def _environment() -> tuple[dict[str, str], dict[str, bool]]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")
    # Links in emails point at the address actually served, unless SITE_URL says otherwise.
    env.setdefault("SITE_URL", site_url_for(HOST_PORT))
    embedded_servers = {"postgres": not env.get("DATABASE_URL"), "redis": not env.get("REDIS_URL")}
    if embedded_servers["postgres"]:
        env["DATABASE_URL"] = embedded.postgres_url()
    if embedded_servers["redis"]:
        env["REDIS_URL"] = embedded.redis_url()
    return env, embedded_servers


def _manage(env, *args) -> None:
    subprocess.run([sys.executable, "manage.py", *args], env=env, check=True)


def _debug(env) -> bool:
    # Read as the settings read it (django-environ); development settings default it on.
    return env.get("DEBUG", "true").strip().lower() in environ.Env.BOOLEAN_TRUE_STRINGS


def _prepare(env) -> None:
    print("Preparing the database…", flush=True)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "seed_demo")
    if not _debug(env):
        # Without DEBUG, runserver serves no static files: WhiteNoise serves the collected
        # ones, named by their manifest, as in production.
        print("Collecting static files (DEBUG is off)…", flush=True)
        _manage(env, "collectstatic", "--no-input", "-v", "0")


def main() -> int:
    env, embedded_servers = _environment()
    _prepare(env)
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    # The folder exists only once the embedded servers have run; with DATABASE_URL and
    # REDIS_URL given it may not, and beat cannot write its schedule into nothing.
    os.makedirs(embedded.LOCAL_DIR, exist_ok=True)
    beat_schedule = os.path.join(embedded.LOCAL_DIR, "celerybeat-schedule")
    processes = [
        subprocess.Popen([*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"], env=env),
        subprocess.Popen([*celery, "beat", "--loglevel", "INFO", "-s", beat_schedule], env=env),
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", HOST_PORT, "--noreload"], env=env
        ),
    ]
    print(f"\nNeighbourhood Democracy is running at http://{HOST_PORT}/  (Ctrl-C stops it)\n")
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        print("\nStopping…", flush=True)
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        embedded.stop(**embedded_servers)
        print("Stopped.")
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
