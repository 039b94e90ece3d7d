"""The default cache: Redis, and while Redis cannot be reached, an empty cache that
forgets what it is given.

Nothing a resident does may fail because Redis is down (issue #12). What the default
cache holds can all be lost: allauth's and django-axes' helpers, page data, the kiosk's
"key pending" flag. So a read that cannot reach Redis is a miss and a write is dropped,
and the short socket timeouts in settings keep a request from waiting on a Redis that
does not answer. Counters that must hold through an outage (voter codes, staff PINs) are
kept in the database instead: see config.ratelimit.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError)
# One warning a minute per process is enough to see an outage in the logs.
WARN_EVERY_SECONDS = 60


class ForgivingRedisCache(RedisCache):
    _last_warning = 0.0

    def _unreachable(self, error: Exception) -> None:
        now = time.monotonic()
        if now - ForgivingRedisCache._last_warning >= WARN_EVERY_SECONDS:
            ForgivingRedisCache._last_warning = now
            logger.warning("Redis cannot be reached; the cache reads as empty: %r", error)

    def _or(self, fallback, method, *args):
        """``method(*args)``, or ``fallback`` while Redis cannot be reached."""
        try:
            return method(*args)
        except UNREACHABLE as error:
            self._unreachable(error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._or(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._or({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # An empty cache takes any new key: allauth's lock is taken at once, not after a
        # second of retrying.
        return self._or(True, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._or(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            self._unreachable(error)
            raise ValueError(f"Key '{key}' not found.") from error

    def delete(self, key, version=None):
        return self._or(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._or(None, super().delete_many, keys, version)

    def clear(self):
        return self._or(False, super().clear)
