"""Pages for requests the platform cannot serve, so nobody gets a bare 500."""

import logging
import re
import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import empty
from django.views import csrf, defaults
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
OUTAGES = (OperationalError, InterfaceError, RedisError)


def server_error(request):
    """handler500: an outage of PostgreSQL or Redis gets a 503 that says what to do."""
    if isinstance(sys.exc_info()[1], OUTAGES):
        return unavailable_page(request)
    if _on_kiosk(request):
        try:
            return kiosk_error(request, 500)
        except Exception:  # the kiosk's page failed too: Django's own, which always draws
            logger.exception("could not draw the kiosk's error page")
    return defaults.server_error(request)


def unavailable_page(request, template="service/unavailable.html", context=None, status=503):
    # Draw the page without touching the database: the account shown is the one already
    # loaded, if any.
    user = getattr(request, "user", None)
    loaded = user is not None and getattr(user, "_wrapped", None) is not empty
    context = {"user": user if loaded else AnonymousUser(), "messages": [], **(context or {})}
    try:
        response = render(request, template, context, status=status)
    except Exception:  # the page must not fail because what failed is still failing
        logger.exception("could not draw %s", template)
        page = render_to_string("service/unavailable_plain.html")
        response = HttpResponse(page, status=status)
    response["Retry-After"] = "30"
    return response


# The polling-station kiosk keeps its own layout even when something goes wrong: a voter
# must never be led from the tablet to the residents' site (its menu, sign-in, search).
KIOSK_PATH = re.compile(r"^/(?:cy/)?kiosk/")


def _on_kiosk(request) -> bool:
    return bool(KIOSK_PATH.match(request.path_info))


def kiosk_error(request, status: int):
    response = render(request, "stations/kiosk/error.html", {"status": status}, status=status)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response


def csrf_failure(request, reason=""):
    if _on_kiosk(request):
        return kiosk_error(request, 403)
    return csrf.csrf_failure(request, reason)


def bad_request(request, exception):
    if _on_kiosk(request):
        return kiosk_error(request, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _on_kiosk(request):
        return kiosk_error(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _on_kiosk(request):
        return kiosk_error(request, 404)
    return defaults.page_not_found(request, exception)
