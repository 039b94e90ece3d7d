"""Reachability of the parts the platform cannot work without."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis import Redis

from config.tasks import ping


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _redis() -> bool:
    try:
        return bool(Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


def _celery() -> bool:
    """A worker answered: it took a task off the queue and stored the result."""
    try:
        return ping.apply_async(expires=5, retry=False).get(timeout=3) == "pong"
    except Exception:
        return False


CHECKS = {"database": _database, "redis": _redis, "celery": _celery}


@never_cache
@require_GET
def healthz(request):
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        # Without Redis no worker can be reached; skip the slow wait for one.
        reachable = check() if name != "celery" or results["redis"] == "ok" else False
        results[name] = "ok" if reachable else "unreachable"
    healthy = all(value == "ok" for value in results.values())
    status = 200 if healthy else 503
    return JsonResponse({"status": "ok" if healthy else "unhealthy", **results}, status=status)
