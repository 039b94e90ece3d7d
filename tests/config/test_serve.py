"""`make run` (config/serve.py): emails link to the address actually served."""

import os
import subprocess
import sys

import pytest

from config import serve

# Given URLs, so that serve.py never starts the embedded servers here.
SERVERS = {
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}


@pytest.fixture
def given_servers(monkeypatch):
    for name, value in SERVERS.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("run_address", "site_url"),
    [
        ("127.0.0.1:8011", "http://127.0.0.1:8011"),
        ("0.0.0.0:8123", "http://127.0.0.1:8123"),
        ("8124", "http://127.0.0.1:8124"),
        ("localhost:9000", "http://localhost:9000"),
    ],
)
def test_emails_link_to_the_address_run_serves(monkeypatch, given_servers, run_address, site_url):
    monkeypatch.setattr(serve, "HOST_PORT", run_address)
    monkeypatch.delenv("SITE_URL", raising=False)
    env, _embedded = serve._environment()
    assert env["SITE_URL"] == site_url


def test_a_site_url_given_is_kept(monkeypatch, given_servers):
    monkeypatch.setattr(serve, "HOST_PORT", "127.0.0.1:8011")
    monkeypatch.setenv("SITE_URL", "https://pb.example.test")
    env, _embedded = serve._environment()
    assert env["SITE_URL"] == "https://pb.example.test"


def test_a_fresh_run_process_takes_the_site_url_from_run_address():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env.update(SERVERS, RUN_ADDRESS="127.0.0.1:8765")
    code = "from config import serve; print(serve._environment()[0]['SITE_URL'])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "http://127.0.0.1:8765"


def _steps(monkeypatch, **env) -> list[str]:
    steps = []
    monkeypatch.setattr(serve, "_manage", lambda _env, command, *args: steps.append(command))
    serve._prepare(env)
    return steps


def test_with_debug_off_run_collects_static_files_before_serving(monkeypatch):
    # WhiteNoise serves them from STATIC_ROOT by their manifest; without it every page
    # failed ("Missing staticfiles manifest entry").
    assert _steps(monkeypatch, DEBUG="false") == ["migrate", "seed_demo", "collectstatic"]


def test_with_debug_on_run_serves_static_files_as_they_are(monkeypatch):
    assert _steps(monkeypatch, DEBUG="true") == ["migrate", "seed_demo"]
    assert _steps(monkeypatch) == ["migrate", "seed_demo"]
