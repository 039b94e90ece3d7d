"""Rate-limit counters are in the database: they count, end with their window, and hold
while Redis cannot be reached."""

import types

import pytest

from config.ratelimit import RateLimit

pytestmark = pytest.mark.django_db


def test_it_is_reached_after_the_allowed_tries():
    limit = RateLimit("test:tries", allowed=2, window_seconds=60)
    limit.count_one()
    assert limit.reached() is False
    limit.count_one()
    assert limit.reached() is True
    assert limit.used == 2


def test_the_window_starts_at_the_first_try(monkeypatch):
    clock = types.SimpleNamespace(now=1000.0)
    monkeypatch.setattr("config.ratelimit.time", types.SimpleNamespace(time=lambda: clock.now))
    limit = RateLimit("test:window", allowed=2, window_seconds=60)
    limit.count_one()
    clock.now += 50
    limit.count_one()
    assert limit.reached() is True
    clock.now += 11
    assert limit.used == 0


def test_reset_forgets_the_tries():
    limit = RateLimit("test:reset", allowed=1, window_seconds=60)
    limit.count_one()
    limit.reset()
    assert limit.reached() is False


def test_it_holds_while_redis_cannot_be_reached(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    limit = RateLimit("test:outage", allowed=1, window_seconds=60)
    limit.count_one()
    assert limit.reached() is True
