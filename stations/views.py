"""The kiosk (a tablet opened as one polling station) and the staff pages that open it.

Kiosk pages extend their own base template: no site navigation, no links out, nothing
kept by the browser (every response is ``no-store``; forms never autofill), and every
voter's visit ends with a fresh session.
"""

import uuid

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budgets.models import Envelope, Round
from stations import kiosk, offline, offline_views, selectors, services
from stations.forms import (
    CloseSessionForm,
    DeclarationForm,
    OpenStationForm,
    StaffPinForm,
    VoterCodeForm,
)
from stations.kiosk import kiosk_view, no_store, staff_view
from stations.models import StationSession
from voting import selectors as voting_selectors
from voting.forms import read_choices, read_idempotency_key
from voting.results.explanations import before_voting
from voting.rules import BallotRefused, BallotRule
from voting.services import ballot_options
from voting.views import render_budget_meter

CLOSED_SESSION = "kiosk_closed_session"
CHECKED = "kiosk_checked_choices"


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Anchor staff open a station --------------------------------------------------------


def needs_two_factor(request):
    if is_mfa_enabled(request.user):
        return None
    messages.warning(request, _("Set up two-factor sign-in before you open a polling station."))
    return redirect("mfa_activate_totp")


@login_required
@require_GET
def station_list(request):
    if response := needs_two_factor(request):
        return response
    stations = list(services.stations_for_staff(request.user))
    return render(request, "stations/station_list.html", {"stations": stations})


@login_required
@require_http_methods(["GET", "POST"])
def station_open(request, station_id):
    if response := needs_two_factor(request):
        return response
    station = get_object_or_404(services.stations_for_staff(request.user), pk=station_id)
    form = OpenStationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.station_open(
                station_id=station.pk, staff_user=request.user, pin=form.cleaned_data["pin"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            offline.kit_make(session, form.cleaned_data["pin"])
            # The tablet stops being this person's: signed out, bound to the station only.
            logout(request)
            kiosk.bind(request, session)
            offline_views.key_due_set(session)
            return no_store(redirect("stations-kiosk"))
    status = 400 if form.errors else 200
    return render(
        request, "stations/station_open.html", {"station": station, "form": form}, status=status
    )


# --- The kiosk: voters -----------------------------------------------------------------


def _start_page(request, session, *, form=None, error="", status=200):
    request.language_links_path = reverse("stations-kiosk")
    context = {
        "session": session,
        "station": session.station,
        "form": form or VoterCodeForm(),
        "error": error,
        "notice": kiosk.pop_notice(request),
        "open_now": session.station.is_open_at(timezone.now()),
        # An officer may close voting while the station is still open (trial 16/17, 18).
        "voting_closed": session.station.round.phase != Round.Phase.VOTING_OPEN,
        "offline_key_due": offline_views.key_due(session),
    }
    return render(request, "stations/kiosk/start.html", context, status=status)


@require_GET
@kiosk.scanner_csp
def kiosk_start(request):
    session = kiosk.station_session(request)
    if session is None:
        return no_store(render(request, "stations/kiosk/not_open.html"))
    if request.session.get(kiosk.VOTER):
        _abandon(request, session)
    return no_store(_start_page(request, session))


def _abandon(request, session, notice=""):
    services.voter_abandoned(session_id=session.pk)
    kiosk.reset(request, notice=notice)


@require_POST
@kiosk.scanner_csp
@kiosk_view
def kiosk_code(request):
    session = request.station_session
    form = VoterCodeForm(request.POST)
    if not form.is_valid():
        return _start_page(request, session, form=form, status=400)
    try:
        details = services.code_check(session=session, code=form.cleaned_data["code"])
    except services.Refused as refused:
        services.refusal_record(session, refused)
        return _start_page(request, session, error=refused.message, status=400)
    except ValidationError as error:
        return _start_page(request, session, error=_messages_of(error), status=400)
    kiosk.start_voter(request, session.station.idle_seconds, **details)
    return redirect("stations-kiosk-ballot")


def _ballot_or_check_page(request, session, voter):
    """The ballot, or after "Check my choices" the same choices to check, once."""
    checked = request.session.pop(CHECKED, None) if "check" in request.GET else None
    if checked is None:
        return _ballot_page(request, session, voter, choices={})
    choices = {int(pk): points for pk, points in checked["choices"].items()}
    return _ballot_page(
        request, session, voter, choices=choices, check=True, age_confirmed=checked["age"]
    )


def _ballot_page(
    request,
    session,
    voter,
    *,
    choices,
    error="",
    status=200,
    check=False,
    checking=False,
    age_confirmed=False,
    confirm_start_again=False,
):
    """``checking``: the error is the check step's, so nothing was being sent yet."""
    envelope = Envelope.objects.select_related("round", "neighbourhood").get(pk=voter.envelope_id)
    rule = BallotRule.for_envelope(envelope)
    checked = None
    if check:
        # "Check my choices": the online check's summary, or what to change.
        try:
            checked = voting_selectors.ballot_check(envelope, choices, age_confirmed=age_confirmed)
        except BallotRefused as refusal:
            error, status, checking = refusal.message, 400, True
    context = {
        "checking": checking,
        "station": session.station,
        "envelope": envelope,
        "rule": rule,
        "proposals": voting_selectors.ballot_proposals(envelope),
        "choices": choices,
        "meter": voting_selectors.budget_meter(rule, choices, ballot_options(envelope)),
        "ask_age": voter.method == "code" and envelope.round.minimum_age,
        "age_confirmed": age_confirmed,
        "checked": checked,
        "error": error,
        "submission": uuid.uuid4(),
        "how_counted": before_voting(envelope.round.counting_rule),
        "confirm_start_again": confirm_start_again,
    }
    return render(request, "stations/kiosk/ballot.html", context, status=status)


def _voter_or_start(request, session):
    voter = kiosk.current_voter(request, session.station.idle_seconds)
    if voter is None and request.session.get(kiosk.VOTER):
        _abandon(request, session, _("The screen was cleared because nobody used it for a while."))
    return voter


@require_http_methods(["GET", "POST"])
@kiosk_view
def kiosk_ballot(request):
    session = request.station_session
    voter = _voter_or_start(request, session)
    if voter is None:
        return redirect("stations-kiosk")
    if request.method == "GET":
        return _ballot_or_check_page(request, session, voter)
    if "start_again" in request.POST:
        return _start_again(request, session, voter)
    try:
        choices = read_choices(request.POST)
    except BallotRefused as refusal:
        checking = "check" in request.POST
        return _ballot_page(
            request,
            session,
            voter,
            choices={},
            error=refusal.message,
            status=400,
            checking=checking,
        )
    if "check" in request.POST:
        # Post, then redirect: the back button never offers to send the form again. The
        # choices wait in the session, which the reset after this voter throws away.
        age_confirmed = request.POST.get("age_confirmed") == "yes" or voter.method != "code"
        request.session[CHECKED] = {
            "choices": {str(pk): points for pk, points in choices.items()},
            "age": age_confirmed,
        }
        return redirect(f"{reverse('stations-kiosk-ballot')}?check=1")
    return _cast(request, session, voter, choices)


def _start_again(request, session, voter):
    """Starting again with nothing ticked clears the screen at once. With ticks, the
    ballot comes back as it was and asks first (one stray touch never loses them); the
    answer "No, keep my choices" brings it back as it was without the question."""
    try:
        choices = read_choices(request.POST)
    except BallotRefused:
        choices = None  # something unreadable was typed: still ask
    if choices == {}:
        _abandon(request, session)
        return _after_voter(redirect("stations-kiosk"))
    return _ballot_page(
        request,
        session,
        voter,
        choices=choices or {},
        age_confirmed=request.POST.get("age_confirmed") == "yes",
        confirm_start_again=request.POST["start_again"] != "keep",
    )


def _cast(request, session, voter, choices):
    try:
        cast = services.station_ballot_cast(
            session_id=session.pk,
            voter=voter,
            choices=choices,
            idempotency_key=read_idempotency_key(request.POST),
            age_confirmed=request.POST.get("age_confirmed") == "yes",
        )
    except services.Refused as refused:
        kiosk.reset(request, notice=refused.message)
        return _after_voter(redirect("stations-kiosk"))
    except (BallotRefused, ValidationError) as refusal:
        message = _messages_of(refusal) if isinstance(refusal, ValidationError) else refusal.message
        return _ballot_page(
            request,
            session,
            voter,
            choices=choices,
            error=message,
            status=400,
            age_confirmed=request.POST.get("age_confirmed") == "yes",
        )
    if cast.receipt:
        kiosk.reset(request, receipt=cast.receipt)
        return _after_voter(redirect("stations-kiosk-done"))
    kiosk.reset(request, notice=_thanks(held=cast.held))
    return _after_voter(redirect("stations-kiosk"))


@require_GET
@kiosk_view
def kiosk_done(request):
    """The voter's receipt reference, shown once: "Finish" (or the idle time) clears it."""
    receipt = kiosk.pop_receipt(request)
    if not receipt:
        return no_store(redirect("stations-kiosk"))
    context = {"station": request.station_session.station, "receipt": receipt}
    return no_store(render(request, "stations/kiosk/done.html", context))


def _thanks(*, held: bool) -> str:
    if held:
        return _(
            "Thank you. Your vote has been taken. It will be counted once a council officer "
            "has checked the declaration."
        )
    return _("Thank you. Your vote has been recorded.")


def _after_voter(response):
    # Drop anything the browser may still hold from the voter's pages.
    response["Clear-Site-Data"] = '"cache"'
    return response


@require_GET
@kiosk.glance_view
def kiosk_meter(request):
    session = request.station_session
    voter = kiosk.glanced_voter(request, session.station.idle_seconds)
    if voter is None:
        return HttpResponse(status=204)
    envelope = Envelope.objects.select_related("round").get(pk=voter.envelope_id)
    return render_budget_meter(request, envelope)


@require_POST
@kiosk_view
def kiosk_reset(request):
    """Start again: the voter pressed "Start again", or the tablet was left idle."""
    session = request.station_session
    if request.session.get(kiosk.VOTER):
        notice = (
            _("The screen was cleared because nobody used it for a while.")
            if request.POST.get("why") == "idle"
            else ""
        )
        _abandon(request, session, notice)
    else:
        kiosk.reset(request)
    return _after_voter(redirect("stations-kiosk"))


@require_http_methods(["GET", "POST"])
@kiosk_view
def kiosk_paper(request):
    """Staff give the voter just checked a paper ballot instead; the staff PIN confirms."""
    session = request.station_session
    voter = _voter_or_start(request, session)
    if voter is None:
        return redirect("stations-kiosk")
    form = StaffPinForm(request.POST or None)
    posted = request.method == "POST" and form.is_valid()
    if posted and (response := _issue_paper(request, session, voter, form)):
        return response
    envelope = Envelope.objects.select_related("round").get(pk=voter.envelope_id)
    context = {
        "station": session.station,
        "form": form,
        "ask_age": voter.method == "code" and envelope.round.minimum_age,
        "minimum_age": envelope.round.minimum_age,
    }
    status = 400 if form.errors else 200
    return render(request, "stations/kiosk/paper_issue.html", context, status=status)


def _issue_paper(request, session, voter, form):
    try:
        services.staff_pin_check(session, form.cleaned_data["pin"])
    except ValidationError as error:
        form.add_error("pin", error)
        return None
    try:
        services.paper_issue(
            session_id=session.pk,
            voter=voter,
            age_confirmed=request.POST.get("age_confirmed") == "yes",
        )
    except services.Refused as refused:
        notice = refused.message
    except ValidationError as error:
        form.add_error(None, error)
        return None
    else:
        notice = _(
            "Paper ballot handed out. This person is now on the register as having voted, "
            "so they cannot vote on a tablet, online or at another station. Keep their "
            "paper with this station's papers."
        )
    kiosk.reset(request, notice=notice)
    return _after_voter(redirect("stations-kiosk"))


# --- The kiosk: staff ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@kiosk_view
def kiosk_unlock(request):
    session = request.station_session
    form = StaffPinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_pin_check(session, form.cleaned_data["pin"])
        except ValidationError as error:
            form.add_error("pin", error)
        else:
            if request.session.get(kiosk.VOTER):
                _abandon(request, session)
            kiosk.unlock_staff(request)
            return redirect("stations-kiosk-staff")
    context = {"station": session.station, "form": form, "notice": kiosk.pop_notice(request)}
    return render(
        request, "stations/kiosk/unlock.html", context, status=400 if form.errors else 200
    )


@require_GET
@staff_view
def kiosk_staff(request):
    session = request.station_session
    context = {
        "session": session,
        "station": session.station,
        "today": selectors.station_today(session),
        "offline_ballots": offline.offline_ballots_for_staff(session),
        "wrong_codes": services.code_entry_paused(session),
        "notice": kiosk.pop_notice(request),
        "paper_envelopes": selectors.station_envelopes(session),
    }
    return render(request, "stations/kiosk/staff.html", context)


@require_POST
@staff_view
def kiosk_codes_resume(request):
    services.code_entry_resume(request.station_session)
    request.session[kiosk.NOTICE] = _("The tablet takes voter codes again.")
    return redirect("stations-kiosk-staff")


@require_POST
@kiosk_view
def kiosk_lock(request):
    kiosk.reset(request)
    return _after_voter(redirect("stations-kiosk"))


@require_http_methods(["GET", "POST"])
@staff_view
def kiosk_declaration(request):
    session = request.station_session
    round_ = session.station.round
    staff = services.station_staff(session)
    form_options = {"staff": staff, "needs_date_of_birth": bool(round_.minimum_age)}
    form = DeclarationForm(request.POST or None, **form_options)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            details = _declaration_check(session, form.cleaned_data)
        except services.Refused as refused:
            services.refusal_record(session, refused)
            # Nothing the person declared stays on screen once they are refused.
            error, form = refused.message, DeclarationForm(**form_options)
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            kiosk.start_voter(request, session.station.idle_seconds, **details)
            return redirect("stations-kiosk-ballot")
    context = {"station": session.station, "round": round_, "form": form, "error": error}
    status = 400 if (form.errors or error) else 200
    return render(request, "stations/kiosk/declaration.html", context, status=status)


def _declaration_check(session, declared: dict) -> dict:
    return services.declaration_check(
        session=session,
        name=declared["name"],
        postcode=declared["postcode"],
        date_of_birth=declared.get("date_of_birth"),
        checked_by_id=declared["checked_by"],
    )


@require_http_methods(["GET", "POST"])
@staff_view
def kiosk_close(request):
    session = request.station_session
    form = CloseSessionForm(request.POST or None, staff=services.station_staff(session))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_close(
                session_id=session.pk,
                closed_by_id=data["closed_by"],
                codes_issued=data["codes_issued"],
                ballots=data["ballots"],
                spoilt=data["spoilt"],
                refusals=data["refusals"],
                papers=data["papers"],
                note=data["note"],
            )
        except ValidationError as problem:
            form.add_error(None, problem)
        else:
            request.session.flush()
            request.session[CLOSED_SESSION] = session.pk
            return redirect("stations-kiosk-closed")
    context = {"station": session.station, "form": form}
    return render(request, "stations/kiosk/close.html", context, status=400 if form.errors else 200)


@require_GET
def kiosk_closed(request):
    session_id = request.session.get(CLOSED_SESSION)
    if session_id is None:
        return no_store(redirect("stations-kiosk"))
    session = get_object_or_404(StationSession.objects.select_related("station"), pk=session_id)
    context = {
        "session": session,
        "station": session.station,
        "rows": selectors.reconciliation(session),
        "kiosk_closed": True,
    }
    return no_store(render(request, "stations/kiosk/closed.html", context))
