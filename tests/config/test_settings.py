import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.environment import StrictEnv

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
    # Django's PostgreSQL backend, with a cheaper check of kept connections.
    assert settings.DATABASES["default"]["ENGINE"] == "config.postgresql"


def test_cache_and_broker_are_redis():
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.ForgivingRedisCache"
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


def test_security_headers_are_sent(client, db):
    response = client.get("/accessibility/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("word", ["flase", "ture", "enabled", "2x"])
def test_a_misspelt_boolean_stops_start_up(word):
    result = _run_with_production_settings(
        "check", **{**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": word}
    )
    assert result.returncode != 0
    assert f"{word!r} is not a true/false value" in result.stderr


@pytest.mark.parametrize(
    ("word", "expected"),
    [("true", True), ("Yes", True), ("1", True), ("off", False), ("FALSE", False), ("0", False)],
)
def test_booleans_spelt_as_booleans_are_read(word, expected, monkeypatch):
    monkeypatch.setenv("SOME_FLAG", word)
    assert StrictEnv().bool("SOME_FLAG") is expected


def test_an_unset_boolean_takes_its_default(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert StrictEnv().bool("SOME_FLAG", default=True) is True


def test_every_task_has_a_time_limit_and_counting_has_room_for_the_longest_count():
    from config.celery import app
    from voting.results.tasks import count_envelope

    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit
    count_task = app.tasks[count_envelope.name]
    # Annotations are applied to the task class when the worker loads it.
    assert count_task.soft_time_limit == settings.COUNT_SOFT_TIME_LIMIT
    assert count_task.time_limit == settings.COUNT_TIME_LIMIT
    # The longest measured count takes about 8 s (README): keep well over 10x headroom.
    assert settings.COUNT_SOFT_TIME_LIMIT >= 120 < settings.COUNT_TIME_LIMIT


def test_production_settings_never_import_the_embedded_servers():
    probe = (
        "import sys, django; django.setup(); "
        "print('embedded' if 'config.embedded' in sys.modules else 'clean')"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        **PRODUCTION_ENV,
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean"
