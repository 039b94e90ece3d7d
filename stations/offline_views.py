"""The kiosk's offline path: its service worker, the page it falls back to with no
network, the station session's key, and the sync that sends queued ballots.

The offline path needs JavaScript; without it the kiosk works online only, as before.
"""

import json
import uuid
from functools import wraps
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.bilingual import sorted_by_name
from stations import kiosk, offline, selectors, services
from stations.forms import DeclarationForm, StaffPinForm, VoterCodeForm
from voting import selectors as voting_selectors
from voting.rules import BallotRule

# Set when staff open the station: the next page may fetch the key once.
KEY_PENDING = "kiosk-offline-key-pending:{session}"


# Kept in the cache, not the tablet's session: the key request runs in the background while
# the next screen is loading, and a session saved by it would undo what that screen stored
# (a voter's code just taken, say).
def key_due_set(session) -> None:
    cache.set(KEY_PENDING.format(session=session.pk), True, timeout=3600)


def key_due(session) -> bool:
    return bool(cache.get(KEY_PENDING.format(session=session.pk)))


def _key_due_take(session) -> bool:
    return bool(cache.delete(KEY_PENDING.format(session=session.pk)))


WORKER = "js/kiosk-offline-worker.js"
ASSETS = [
    "build/kiosk.css",
    "js/kiosk.mjs",
    "js/kiosk-offline.mjs",
    "govuk-frontend/govuk-frontend.min.js",
    "images/favicon.svg",
]


def background(view):
    """For requests the tablet makes in the background (the worker keeping the offline
    page, the key, the sync). They run beside whatever screen is showing, often still
    carrying the cookie of a screen a reset has since replaced, so they change nothing of
    the tablet's: they never redirect (a fetch follows a redirect, and the start page it
    would reach forgets the voter on screen), never reset or write the session, and never
    send a cookie back (an old CSRF cookie would undo the new one the screen's forms need).
    A tablet not bound to an open station session is told so with a 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        session = kiosk.station_session(request)
        if session is None:
            response = JsonResponse(
                {"error": _("This tablet is not open as a polling station")}, status=403
            )
        else:
            request.station_session = session
            response = view(request, *args, **kwargs)
        kiosk.session_left_alone(request)
        return kiosk.no_store(response)

    return wrapper


@require_GET
def offline_worker(request):
    """The service worker, served under /kiosk/ so that its scope is the kiosk's."""
    path = finders.find(WORKER)
    if not path:
        raise Http404
    response = HttpResponse(Path(path).read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@background
def offline_manifest(request):
    """What the worker keeps: the offline page and what it loads (the CSS's own fonts and
    pictures are taken by the worker as the page first loads them)."""
    return JsonResponse(
        {
            "shell": reverse("stations-kiosk-offline"),
            "assets": [static(name) for name in ASSETS],
        }
    )


def _ballots(session):
    ballots = []
    envelopes = selectors.station_envelopes(session)
    for envelope in sorted_by_name(envelopes, lambda envelope: envelope.neighbourhood.local.name):
        rule = BallotRule.for_envelope(envelope)
        ballots.append(
            {
                "envelope": envelope,
                "rule": rule,
                "proposals": voting_selectors.ballot_proposals(envelope),
            }
        )
    return ballots


@require_GET
@background
def offline_shell(request):
    """The kiosk with no network: every screen in one page, switched by JavaScript. It
    holds the station's ballots and staff list, never anything of a voter."""
    session = request.station_session
    round_ = session.station.round
    staff = services.station_staff(session)
    context = {
        "station": session.station,
        "round": round_,
        "ballots": _ballots(session),
        "code_form": VoterCodeForm(prefix="offline"),
        "pin_form": StaffPinForm(prefix="offline"),
        "declaration_form": DeclarationForm(
            prefix="offline", staff=staff, needs_date_of_birth=bool(round_.minimum_age)
        ),
    }
    return render(request, "stations/kiosk/offline.html", context)


@require_POST
@background
def offline_key(request):
    """The station session's key and offline PIN check, for the tablet staff opened: once
    just after opening, or again from the staff screen."""
    session = request.station_session
    if not (_key_due_take(session) or kiosk.staff_unlocked(request)):
        return JsonResponse({"error": _("Only staff can prepare the tablet.")}, status=403)
    return JsonResponse(offline.kit_for_tablet(offline.kit_for(session)))


def _answer(offline_ballot) -> dict:
    outcome = offline_ballot.outcome
    if outcome == offline_ballot.Outcome.REFUSED:
        message = offline_ballot.why_refused
    elif outcome == offline_ballot.Outcome.HELD:
        message = _("Held: an officer will check the declaration.")
    else:
        message = _("Counted.")
    return {"key": str(offline_ballot.key), "outcome": outcome, "message": message}


@require_POST
@background
def offline_sync(request):
    """One queued ballot, sealed: {"key", "iv", "data"}. Answers what became of it; the
    tablet drops it from its queue only on a 200."""
    session = request.station_session
    try:
        body = json.loads(request.body)
        key = uuid.UUID(str(body["key"]))
        payload = offline.open_sealed(
            offline.kit_for(session), key=key, iv=str(body["iv"]), data=str(body["data"])
        )
    except (ValueError, KeyError, TypeError, offline.Unreadable):
        return JsonResponse(
            {"error": _("This ballot could not be read. Keep the tablet and call an officer.")},
            status=400,
        )
    try:
        stored = offline.offline_ballot_sync(session_id=session.pk, key=key, payload=payload)
    except ValidationError as problem:
        return JsonResponse({"error": " ".join(problem.messages)}, status=409)
    return JsonResponse(_answer(stored))
