"""The tablet's state, all of it server-side: in the Django session, apart from two marks
kept in the cache (the offline key being due, and a voter still choosing on the ballot).

The browser holds only the session cookie (and the CSRF cookie). The session holds the
station session's token, at most one voter's verification and, briefly, an unlocked
staff mode. Resetting the kiosk throws the whole session away, with a new cookie, and
keeps only the station binding.
"""

import time
from dataclasses import asdict, dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override

from stations.models import StationSession

BINDING = "kiosk_station_session"
VOTER = "kiosk_voter"
STAFF_UNTIL = "kiosk_staff_until"
NOTICE = "kiosk_notice"
RECEIPT = "kiosk_receipt"
STAFF_MODE_SECONDS = 300
# A voter choosing on the ballot, seen only by the meter: kept in the cache, not the
# session (see glance_view). While Redis is down, only the voter's pages keep their turn.
VOTER_ACTIVE = "kiosk-voter-active:{session}"

# The start screen may compile the QR code reader (WebAssembly) on tablets whose browser
# cannot read QR codes itself; otherwise its policy is the site's.
scanner_csp = csp_override(
    {
        **settings.SECURE_CSP,
        "script-src": [*settings.SECURE_CSP["script-src"], CSP.WASM_UNSAFE_EVAL],
    }
)


@dataclass(frozen=True)
class KioskVoter:
    """A verified voter on the tablet: never their choices, only how they were checked."""

    envelope_id: int
    method: str  # "code" or "declaration"
    expires: float
    code: str = ""
    account_id: int | None = None
    name: str = ""
    postcode: str = ""
    date_of_birth: str = ""  # ISO date, or empty
    checked_by_id: int | None = None


def no_store(response):
    """Nothing of a kiosk page may be kept by the browser or anything in between."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["Pragma"] = "no-cache"
    return response


def station_session(request) -> StationSession | None:
    token = request.session.get(BINDING)
    if not token:
        return None
    return (
        StationSession.objects.select_related("station__round__fund", "station__anchor")
        .filter(token=token, closed_at__isnull=True)
        .first()
    )


def bind(request, session: StationSession) -> None:
    request.session.flush()
    request.session[BINDING] = str(session.token)
    rotate_token(request)


def reset(request, *, notice: str = "", receipt: str = "") -> None:
    """Forget everything but the station: a new session, a new cookie, a new CSRF token.
    ``receipt``: the voter's receipt reference, kept for the one screen that shows it."""
    token = request.session.get(BINDING)
    request.session.flush()
    if token:
        request.session[BINDING] = token
    if notice:
        request.session[NOTICE] = notice
    if receipt:
        request.session[RECEIPT] = receipt
    rotate_token(request)


def pop_receipt(request) -> str:
    return request.session.pop(RECEIPT, "")


def pop_notice(request) -> str:
    return request.session.pop(NOTICE, "")


def _voter(request) -> KioskVoter | None:
    data = request.session.get(VOTER)
    if not data:
        return None
    voter = KioskVoter(**data)
    active = VOTER_ACTIVE.format(session=request.session.session_key)
    if voter.expires < time.time() and not cache.get(active):
        return None
    return voter


def current_voter(request, idle_seconds: int) -> KioskVoter | None:
    voter = _voter(request)
    if voter is not None:
        touch_voter(request, voter, idle_seconds)
    return voter


def glanced_voter(request, idle_seconds: int) -> KioskVoter | None:
    """The voter, for a glance_view: their choosing keeps their turn, the session as is."""
    voter = _voter(request)
    if voter is not None:
        active = VOTER_ACTIVE.format(session=request.session.session_key)
        cache.set(active, True, timeout=idle_seconds)
    return voter


def touch_voter(request, voter: KioskVoter, idle_seconds: int) -> None:
    data = asdict(voter)
    data["expires"] = time.time() + idle_seconds
    request.session[VOTER] = data


def start_voter(request, idle_seconds: int, **fields) -> None:
    # A fresh session for each voter: nothing of the previous one can follow.
    reset(request)
    request.session[STAFF_UNTIL] = 0
    request.session[VOTER] = asdict(KioskVoter(expires=time.time() + idle_seconds, **fields))


def staff_unlocked(request) -> bool:
    return request.session.get(STAFF_UNTIL, 0) > time.time()


def unlock_staff(request) -> None:
    request.session[STAFF_UNTIL] = time.time() + STAFF_MODE_SECONDS


def kiosk_view(view):
    """Every kiosk page: bound to an open station session, never stored by the browser."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        session = station_session(request)
        if session is None:
            if request.session.get(BINDING):
                reset(request)
                request.session.pop(BINDING, None)
            return no_store(redirect("stations-kiosk"))
        request.station_session = session
        return no_store(view(request, *args, **kwargs))

    return wrapper


def session_left_alone(request) -> None:
    """This request saves nothing of the tablet's session and sends no cookie back. One
    that carried a cookie whose session a reset has since deleted reads an empty session,
    and Django would answer by deleting that cookie: the tablet's new one, by name."""
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if cookie and request.session.is_empty():
        request.session = request.session.__class__(session_key=cookie)
    request.session.modified = False
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False


def glance_view(view):
    """A kiosk request made beside the voter's pages (the ballot's meter), often crossing
    the one that sends the vote and resets the session. It only reads: a session saved
    by it would fail (Django's UpdateError, a 400) or undo what the voter's own request
    stored meanwhile (the choices to check). Where the station or the voter is gone it
    answers 204, which htmx leaves out, not a redirect htmx would follow to the start."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        session = station_session(request)
        if session is None:
            response = HttpResponse(status=204)
        else:
            request.station_session = session
            response = view(request, *args, **kwargs)
        session_left_alone(request)
        return no_store(response)

    return wrapper


def staff_view(view):
    """Kiosk pages for anchor staff: need the station's staff PIN, for a few minutes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not staff_unlocked(request):
            request.session[NOTICE] = _("Enter the staff PIN to continue.")
            return redirect("stations-kiosk-unlock")
        return view(request, *args, **kwargs)

    return kiosk_view(wrapper)
