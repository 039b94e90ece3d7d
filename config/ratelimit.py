"""Limits counted in the database: so many tries (a voter code, a staff PIN, a report) in
a window that starts at the first, so nothing can be found or flooded by trying.

The counters are in PostgreSQL (Django's database cache, the "ratelimits" alias), not in
Redis: a four-digit staff PIN could be found in minutes if its limit lapsed while Redis
was down, and the ballot needs PostgreSQL anyway, so these limits hold whenever voting
works at all."""

import time
from dataclasses import dataclass

from django.core.cache import caches

ALIAS = "ratelimits"


@dataclass(frozen=True)
class RateLimit:
    key: str
    allowed: int
    window_seconds: int

    @property
    def used(self) -> int:
        return self._count_and_end()[0]

    def reached(self) -> bool:
        return self.used >= self.allowed

    def count_one(self) -> None:
        # The window's end is stored beside the count: the database cache has no
        # increment that keeps an entry's expiry, and the window starts at the first try.
        count, ends_at = self._count_and_end()
        now = time.time()
        if count == 0:
            ends_at = now + self.window_seconds
        caches[ALIAS].set(self.key, [count + 1, ends_at], timeout=max(1, ends_at - now))

    def reset(self) -> None:
        caches[ALIAS].delete(self.key)

    def _count_and_end(self) -> tuple[int, float]:
        stored = caches[ALIAS].get(self.key)
        if not stored or stored[1] <= time.time():
            return 0, 0.0
        return int(stored[0]), float(stored[1])
