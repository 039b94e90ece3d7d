"""Wrong guesses counted in the cache, so that a voter code or a staff PIN cannot be found
by trying one after another."""

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Attempts:
    """Up to ``allowed`` wrong attempts at ``key`` in a window that starts at the first."""

    key: str
    allowed: int
    window_seconds: int

    def exhausted(self) -> bool:
        used = cache.get_or_set(self.key, 0, timeout=self.window_seconds)
        return int(used or 0) >= self.allowed

    def failed(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # the window ended since exhausted() looked
            cache.set(self.key, 1, timeout=self.window_seconds)

    def clear(self) -> None:
        cache.delete(self.key)
