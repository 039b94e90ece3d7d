import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _run_with_production_settings(*args, **env):
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a real
    # deployment never has it, and check --deploy rightly warns about it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "k8#f2!pL0qZ$wX7vB@nR4tY6uI9oP3aS5dF1gH-jK&lM*cV_bN+eT%yU^",
    "ALLOWED_HOSTS": "pb.example.gov.uk",
    "DATABASE_URL": "postgres://user:secret@db.example.internal:5432/pb",
    "REDIS_URL": "redis://cache.example.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.internal:587",
    "BALLOT_KEY_SECRET": "q9!Lr2@vT5#yW8&zB1^nM4*cX7(kD0)pF3-hJ6_gS",
}


def test_the_database_is_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_cache_and_broker_are_redis():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_production_settings_pass_the_deployment_checks():
    result = _run_with_production_settings(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_database_url():
    env = {**PRODUCTION_ENV, "DATABASE_URL": ""}
    result = _run_with_production_settings("check", **env)
    assert result.returncode != 0
    assert "Production settings need the environment variable DATABASE_URL" in result.stderr


def test_security_headers_are_sent(client):
    response = client.get("/accessibility/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
