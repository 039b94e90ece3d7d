"""The default cache while Redis cannot be reached: an empty cache that forgets writes."""

import pytest
from django.conf import settings

import config.cache
from config.cache import ForgivingRedisCache


def _cache(location: str) -> ForgivingRedisCache:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 1}
    return ForgivingRedisCache(location, {"KEY_PREFIX": "test-cache", "OPTIONS": options})


@pytest.fixture
def unreachable():
    # Port 1 on this machine: nothing listens, so every connection is refused.
    return _cache("redis://127.0.0.1:1/0")


def test_it_reads_as_empty(unreachable):
    assert unreachable.get("k", "missing") == "missing"
    assert unreachable.get_many(["k", "j"]) == {}
    assert unreachable.has_key("k") is False


def test_it_forgets_writes_without_an_error(unreachable):
    unreachable.set("k", 1)
    assert unreachable.set_many({"k": 1, "j": 2}) == ["k", "j"]
    assert unreachable.delete("k") is False
    assert unreachable.touch("k") is False
    assert unreachable.get("k") is None


def test_it_takes_any_new_key(unreachable):
    assert unreachable.add("lock", True) is True


def test_an_increment_finds_no_key(unreachable):
    with pytest.raises(ValueError, match="not found"):
        unreachable.incr("k")


def test_get_or_set_gives_the_default(unreachable):
    assert unreachable.get_or_set("k", 7) == 7


def test_it_logs_the_outage_once_a_minute(unreachable, monkeypatch):
    # The module's own logger, caught directly: whether a record reaches pytest's capture
    # depends on what other tests in the process did to logging (seen in CI: nothing
    # captured once a test had run a Celery worker in the same process).
    warned = []
    monkeypatch.setattr(config.cache.logger, "warning", lambda *args: warned.append(args))
    monkeypatch.setattr(ForgivingRedisCache, "_last_warning", float("-inf"))
    unreachable.get("k")
    unreachable.get("j")
    assert len(warned) == 1
    assert warned[0][0].startswith("Redis cannot be reached")


def test_it_stores_and_reads_while_redis_answers():
    cache = _cache(settings.CACHES["default"]["LOCATION"])
    cache.set("answering", 5)
    assert cache.get("answering") == 5
    assert cache.incr("answering") == 6
    cache.delete("answering")
