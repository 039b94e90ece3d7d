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

from django.conf import settings

from config.ratelimit import RateLimit
from voting.keys import normalise_code

WINDOW_SECONDS = 3600


def _limit(key: str, allowed: int) -> RateLimit:
    return RateLimit(key, allowed=allowed, window_seconds=WINDOW_SECONDS)


def online(*, user_id: int, envelope_id: int) -> list[RateLimit]:
    return [
        _limit(
            f"voter-code-attempts:{envelope_id}:{user_id}", settings.VOTER_CODE_ATTEMPTS_PER_HOUR
        )
    ]


def station_session(session_id: int) -> RateLimit:
    return _limit(
        f"voter-code-attempts:station-session:{session_id}", settings.STATION_WRONG_CODES_PER_HOUR
    )


def typed_code(code: str) -> RateLimit:
    # The code is hashed so the cache never holds what people typed.
    digest = hashlib.sha256(normalise_code(code).encode()).hexdigest()[:32]
    return _limit(f"voter-code-attempts:code:{digest}", settings.VOTER_CODE_ATTEMPTS_PER_HOUR)


def at_station(*, session_id: int, code: str) -> list[RateLimit]:
    return [station_session(session_id), typed_code(code)]


def first_exhausted(scopes: list[RateLimit]) -> RateLimit | None:
    return next((scope for scope in scopes if scope.reached()), None)


def record_wrong(scopes: list[RateLimit]) -> None:
    for scope in scopes:
        scope.count_one()


def forget(scope: RateLimit) -> None:
    scope.reset()
