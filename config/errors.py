"""Pages for requests the platform cannot serve, so nobody gets a bare 500."""

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import empty
from django.views import defaults
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
OUTAGES = (OperationalError, InterfaceError, RedisError)


def server_error(request):
    """handler500: an outage of PostgreSQL or Redis gets a 503 that says what to do."""
    if isinstance(sys.exc_info()[1], OUTAGES):
        return unavailable_page(request)
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
