"""The production image's commands, in one place for the Dockerfile, docker-compose.yml
and the CI step that runs them outside Docker (``.ci/prove_image.py``).

    python -m config.image build         at image build: translations and static files
    python -m config.image migrate       the one-off migration service
    python -m config.image web           gunicorn on $PORT (8000)
    python -m config.image worker        a Celery worker
    python -m config.image beat          Celery beat
    python -m config.image healthcheck   exit 0 only if /healthz reports every part ok

Every command runs under ``config.settings.production``.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

SETTINGS = "config.settings.production"

# collectstatic imports the production settings, which refuse to start without these.
# Building reads no secret and reaches no server, so placeholders are enough; they never
# reach the running image (they are set for this one command only).
BUILD_PLACEHOLDERS = {
    "DATABASE_URL": "postgres://build-only@build.invalid/build",
    "REDIS_URL": "redis://build.invalid:6379/0",
    "SECRET_KEY": "build-only-placeholder-never-used-to-sign-anything",
    "BALLOT_KEY_SECRET": "build-only-placeholder-never-used-for-ballots",
    "ALLOWED_HOSTS": "build.invalid",
    "EMAIL_URL": "consolemail://",
}


def _environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, **extra}


def build() -> None:
    subprocess.run(
        ["pybabel", "compile", "--domain", "django", "--directory", "locale"], check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        env={**_environment(), **BUILD_PLACEHOLDERS},
        check=True,
    )


def _exec(*command: str) -> None:
    os.execvpe(command[0], list(command), _environment())


def healthcheck() -> int:
    """Ask the running web server for /healthz as the proxy in front of it would."""
    port = os.environ.get("PORT", "8000")
    host = next(
        (h.lstrip(".") for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip("*")),
        "localhost",
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz",
        # The TLS proxy's header: without it the HTTPS redirect would answer instead.
        headers={"Host": host, "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=8) as response:
            report = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    print(json.dumps(report))
    return 0 if report.get("status") == "ok" else 1


def main(role: str) -> int:
    if role == "build":
        build()
    elif role == "migrate":
        _exec(sys.executable, "manage.py", "migrate", "--no-input")
    elif role == "web":
        _exec(
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"0.0.0.0:{os.environ.get('PORT', '8000')}",
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "3"),
            "--access-logfile",
            "-",
        )
    elif role == "worker":
        _exec(
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            os.environ.get("CELERY_CONCURRENCY", "4"),
        )
    elif role == "beat":
        schedule = os.environ.get("CELERY_BEAT_SCHEDULE", "/tmp/celerybeat-schedule")
        _exec("celery", "-A", "config", "beat", "--loglevel", "INFO", "-s", schedule)
    elif role == "healthcheck":
        return healthcheck()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
