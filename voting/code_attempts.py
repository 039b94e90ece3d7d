"""How many wrong voter codes may be tried, wherever they are typed: the one home of the rule.

A wrong code is counted against one or more *scopes*, each with its own limit for a
rolling hour (counters in the cache expire an hour after the first wrong code):

- online: the signed-in resident in one envelope (``VOTER_CODE_ATTEMPTS_PER_HOUR``);
- at a polling station, where nobody is signed in: the station session, so one tablet
  cannot be used to guess codes (``STATION_WRONG_CODES_PER_HOUR``), and the code typed,
  so the same code cannot be tried again and again at tablet after tablet
  (``VOTER_CODE_ATTEMPTS_PER_HOUR``).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from voting.keys import normalise_code

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Scope:
    key: str
    limit: int

    @property
    def used(self) -> int:
        return cache.get(self.key, 0)

    @property
    def exhausted(self) -> bool:
        return self.used >= self.limit


def online(*, user_id: int, envelope_id: int) -> list[Scope]:
    return [
        Scope(
            f"voter-code-attempts:{envelope_id}:{user_id}",
            settings.VOTER_CODE_ATTEMPTS_PER_HOUR,
        )
    ]


def station_session(session_id: int) -> Scope:
    return Scope(
        f"voter-code-attempts:station-session:{session_id}",
        settings.STATION_WRONG_CODES_PER_HOUR,
    )


def typed_code(code: str) -> Scope:
    # The code is hashed so the cache never holds what people typed.
    digest = hashlib.sha256(normalise_code(code).encode()).hexdigest()[:32]
    return Scope(f"voter-code-attempts:code:{digest}", settings.VOTER_CODE_ATTEMPTS_PER_HOUR)


def at_station(*, session_id: int, code: str) -> list[Scope]:
    return [station_session(session_id), typed_code(code)]


def first_exhausted(scopes: list[Scope]) -> Scope | None:
    return next((scope for scope in scopes if scope.exhausted), None)


def record_wrong(scopes: list[Scope]) -> None:
    for scope in scopes:
        cache.add(scope.key, 0, timeout=WINDOW_SECONDS)
        try:
            cache.incr(scope.key)
        except ValueError:  # expired between the two calls: start again
            cache.set(scope.key, 1, timeout=WINDOW_SECONDS)


def forget(scope: Scope) -> None:
    cache.delete(scope.key)
