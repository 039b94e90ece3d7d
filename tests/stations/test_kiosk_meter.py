"""The kiosk ballot's budget meter, which htmx redraws as the voter chooses: a request
beside the voter's own, which may cross the one that sends their vote."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from stations import kiosk
from stations.models import StationSession
from tests.stations import test_kiosk_views as kiosk_views
from voting.models import Ballot

pytestmark = pytest.mark.django_db

tablet = kiosk_views.tablet
code = kiosk_views.code


def voter_reaches_the_ballot(tablet, code) -> str:
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    return tablet.get(reverse("stations-kiosk-ballot")).context["submission"]


def same_tablet(tablet) -> Client:
    """Another request from the tablet, carrying its cookies as they are now."""
    other = Client()
    for name, morsel in tablet.cookies.items():
        other.cookies[name] = morsel.value
    return other


def nobody_touches_the_screen_for_the_idle_time(tablet) -> None:
    stored = tablet.session
    voter = stored[kiosk.VOTER]
    voter["expires"] = 0
    stored[kiosk.VOTER] = voter
    stored.save()
    # What the meter kept of the voter's choosing runs out too, as the cache's timeout would.
    cache.delete(kiosk.VOTER_ACTIVE.format(session=stored.session_key))


def test_it_redraws_the_meter_for_the_choices(tablet, code, on_ballot):
    voter_reaches_the_ballot(tablet, code)
    response = tablet.get(reverse("stations-kiosk-meter"), {"choice": [on_ballot["Trees"]]})
    assert response.status_code == 200
    assert "£20,000 of £30,000 chosen" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_meter_request_overtaken_by_the_vote_answers_and_saves_nothing(tablet, code, on_ballot):
    """The race behind a flaky QR journey: the meter had read the voter's session when
    the vote was sent and the tablet reset. Saving that session then failed: a 400."""
    submission = voter_reaches_the_ballot(tablet, code)
    voter_session = tablet.session.session_key
    sender = same_tablet(tablet)

    def vote_sent_meanwhile(**kwargs):
        template_rendered.disconnect(vote_sent_meanwhile)
        sender.post(
            reverse("stations-kiosk-ballot"),
            {"choice": [on_ballot["Trees"]], "submission": submission},
        )

    # The meter's answer is drawn, so its session is read: the vote goes now.
    template_rendered.connect(vote_sent_meanwhile)
    try:
        response = tablet.get(reverse("stations-kiosk-meter"), {"choice": [on_ballot["Trees"]]})
    finally:
        template_rendered.disconnect(vote_sent_meanwhile)

    assert Ballot.objects.count() == 1
    assert response.status_code == 200
    assert response.cookies == {}
    assert Session.objects.filter(session_key=voter_session).exists() is False
    after = sender.session
    assert kiosk.VOTER not in after
    assert after[kiosk.RECEIPT] == Ballot.objects.get().receipt


def test_a_meter_request_crossing_check_my_choices_keeps_the_choices_to_check(
    tablet, code, on_ballot
):
    """The voter ticks an idea and at once presses "Check my choices": the meter, saving
    the session it had read, would put it back without the choices waiting to be checked."""
    submission = voter_reaches_the_ballot(tablet, code)
    checker = same_tablet(tablet)

    def choices_checked_meanwhile(**kwargs):
        template_rendered.disconnect(choices_checked_meanwhile)
        checker.post(
            reverse("stations-kiosk-ballot"),
            {"choice": [on_ballot["Trees"]], "submission": submission, "check": "1"},
        )

    template_rendered.connect(choices_checked_meanwhile)
    try:
        tablet.get(reverse("stations-kiosk-meter"), {"choice": [on_ballot["Trees"]]})
    finally:
        template_rendered.disconnect(choices_checked_meanwhile)

    check = checker.get(reverse("stations-kiosk-ballot") + "?check=1")
    (chosen,) = check.context["checked"].chosen
    assert chosen[0].pk == on_ballot["Trees"]


def test_a_meter_request_after_the_vote_answers_with_nothing_and_keeps_the_cookie(
    tablet, code, on_ballot
):
    submission = voter_reaches_the_ballot(tablet, code)
    late_meter = same_tablet(tablet)
    tablet.post(
        reverse("stations-kiosk-ballot"),
        {"choice": [on_ballot["Trees"]], "submission": submission},
    )
    response = late_meter.get(reverse("stations-kiosk-meter"), {"choice": [on_ballot["Trees"]]})
    # 204: htmx swaps nothing in. A redirect would be followed into the start screen, and
    # deleting the cookie the request came with would unbind the tablet from its station.
    assert response.status_code == 204
    assert response.cookies == {}
    assert tablet.get(reverse("stations-kiosk-done")).status_code == 200


def test_choosing_keeps_the_voter_s_turn_though_no_page_is_sent(tablet, code, on_ballot):
    """Ticking ideas sends only meter requests: the voter's idle time starts again with each,
    so they may take longer than it to choose."""
    submission = voter_reaches_the_ballot(tablet, code)
    tablet.get(reverse("stations-kiosk-meter"), {"choice": [on_ballot["Trees"]]})
    stored = tablet.session
    voter = stored[kiosk.VOTER]
    voter["expires"] = 0  # the ballot page itself was drawn longer ago than the idle time
    stored[kiosk.VOTER] = voter
    stored.save()
    response = tablet.post(
        reverse("stations-kiosk-ballot"),
        {"choice": [on_ballot["Trees"]], "submission": submission},
    )
    assert response["Location"] == reverse("stations-kiosk-done")
    assert Ballot.objects.count() == 1


def test_an_idle_voter_s_turn_ends_though_they_had_chosen(tablet, code, on_ballot):
    voter_reaches_the_ballot(tablet, code)
    tablet.get(reverse("stations-kiosk-meter"), {"choice": [on_ballot["Trees"]]})
    nobody_touches_the_screen_for_the_idle_time(tablet)

    response = tablet.get(reverse("stations-kiosk-meter"), {"choice": [on_ballot["Trees"]]})
    assert response.status_code == 204
    assert tablet.get(reverse("stations-kiosk-ballot"))["Location"] == reverse("stations-kiosk")
    assert StationSession.objects.get().abandoned_recorded == 1
    assert b"nobody used it for a while" in tablet.get(reverse("stations-kiosk")).content
