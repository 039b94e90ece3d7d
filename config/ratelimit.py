"""Limits counted in the cache: so many tries (a voter code, a staff PIN, a report) in a
window that starts at the first, so nothing can be found or flooded by trying."""

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateLimit:
    key: str
    allowed: int
    window_seconds: int

    @property
    def used(self) -> int:
        return int(cache.get(self.key) or 0)

    def reached(self) -> bool:
        used = cache.get_or_set(self.key, 0, timeout=self.window_seconds)
        return int(used or 0) >= self.allowed

    def count_one(self) -> None:
        if not cache.add(self.key, 1, timeout=self.window_seconds):
            try:
                cache.incr(self.key)
            except ValueError:  # the window ended just now
                cache.set(self.key, 1, timeout=self.window_seconds)

    def reset(self) -> None:
        cache.delete(self.key)
