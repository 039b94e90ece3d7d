"""The kiosk's pages through Django's test client: binding, headers, resets, bad input."""

import logging
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from stations import kiosk
from stations.models import PollingStation, Refusal, StationSession
from tests.stations.factories import STAFF_PIN
from voting.models import Ballot, Participation
from voting.services import voter_codes_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def tablet(client, station, anchor_staff):
    """A client that anchor staff opened as the station's kiosk."""
    client.force_login(anchor_staff)
    response = client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    assert response["Location"] == reverse("stations-kiosk")
    return client


@pytest.fixture
def code(envelope, officer):
    return voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()


def test_opening_a_station_signs_the_staff_member_out_of_the_tablet(tablet, anchor_staff):
    assert "_auth_user_id" not in tablet.session
    assert StationSession.objects.get().opened_by == anchor_staff
    response = tablet.get(reverse("stations-kiosk"))
    assert response.status_code == 200
    assert b"Vote here" in response.content
    assert b"Officers" not in response.content
    assert b"Signed in as" not in response.content


def test_staff_without_two_factor_are_sent_to_set_it_up(client, station, anchor_staff):
    anchor_staff.authenticator_set.all().delete()
    client.force_login(anchor_staff)
    response = client.get(reverse("stations-list"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_cannot_open_another_organisation_s_station(client, station, resident):
    client.force_login(resident)
    from tests.conftest import with_two_factor

    with_two_factor(resident)
    response = client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    assert response.status_code == 404
    assert StationSession.objects.exists() is False


def test_a_tablet_not_opened_as_a_station_shows_no_kiosk(client, station):
    response = client.get(reverse("stations-kiosk"))
    assert b"This tablet is not open as a polling station" in response.content
    assert client.get(reverse("stations-kiosk-ballot"))["Location"] == reverse("stations-kiosk")


def test_every_kiosk_page_is_never_stored(tablet, code):
    pages = [
        tablet.get(reverse("stations-kiosk")),
        tablet.post(reverse("stations-kiosk-code"), {"code": code.code}),
        tablet.get(reverse("stations-kiosk-ballot")),
        tablet.get(reverse("stations-kiosk-unlock")),
    ]
    for response in pages:
        assert "no-store" in response["Cache-Control"]


def test_a_wrong_code_is_refused_and_counted(tablet):
    response = tablet.post(reverse("stations-kiosk-code"), {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 400
    assert b"not right for this station" in response.content
    assert Refusal.objects.get().reason == Refusal.Reason.CODE_NOT_RECOGNISED


def test_the_language_switch_on_a_refused_code_leads_to_the_start_screen(tablet):
    """Found by a trial: "Cymraeg" right after a refused code opened the code form's own
    address, which takes only POST, and the tablet showed "This page isn't working"."""
    refused = tablet.post(reverse("stations-kiosk-code"), {"code": "AAAA-BBBB-CCCC"})
    welsh = next(link for link in refused.context["language_links"] if link["code"] == "cy")
    assert welsh["url"] == "/cy/kiosk/"
    assert tablet.get(welsh["url"]).status_code == 200


def test_a_cast_resets_the_tablet_to_a_new_session(tablet, code, on_ballot):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    voter_session = tablet.session.session_key
    response = tablet.get(reverse("stations-kiosk-ballot"))
    submission = response.context["submission"]
    response = tablet.post(
        reverse("stations-kiosk-ballot"),
        {"choice": [on_ballot["Benches"]], "submission": submission},
    )
    assert response["Location"] == reverse("stations-kiosk-done")
    assert response["Clear-Site-Data"] == '"cache"'
    assert tablet.session.session_key != voter_session
    assert kiosk.VOTER not in tablet.session
    assert Ballot.objects.count() == 1
    assert tablet.get(reverse("stations-kiosk-ballot"))["Location"] == reverse("stations-kiosk")


def test_after_a_cast_the_voter_sees_their_receipt_once_and_nothing_else_of_theirs(
    tablet, code, on_ballot
):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    submission = _ballot_form(tablet)
    response = tablet.post(
        reverse("stations-kiosk-ballot"),
        {"choice": [on_ballot["Benches"]], "submission": submission},
        follow=True,
    )
    receipt = Ballot.objects.get().receipt
    page = response.content.decode()
    assert "Thank you. Your vote has been recorded." in page
    assert f'<strong class="nd-receipt">{receipt}</strong>' in page
    assert code.code not in page and "Benches" not in page
    assert "no-store" in response["Cache-Control"]

    # Finish (or the idle time) goes back to the start; the receipt is not shown again.
    start = tablet.post(reverse("stations-kiosk-reset"), {"why": "start-again"}, follow=True)
    assert receipt not in start.content.decode()
    assert tablet.get(reverse("stations-kiosk-done"))["Location"] == reverse("stations-kiosk")
    assert StationSession.objects.get().abandoned_recorded == 0


def test_starting_again_counts_an_abandoned_ballot(tablet, code):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    tablet.post(reverse("stations-kiosk-reset"), {"why": "idle"})
    assert StationSession.objects.get().abandoned_recorded == 1
    assert b"nobody used it for a while" in tablet.get(reverse("stations-kiosk")).content


def test_an_idle_voter_is_forgotten_by_the_server_too(tablet, code):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    stored = tablet.session
    voter = stored[kiosk.VOTER]
    voter["expires"] = 0
    stored[kiosk.VOTER] = voter
    stored.save()
    assert tablet.get(reverse("stations-kiosk-ballot"))["Location"] == reverse("stations-kiosk")
    assert StationSession.objects.get().abandoned_recorded == 1


def test_staff_pages_need_the_pin(tablet):
    response = tablet.get(reverse("stations-kiosk-staff"))
    assert response["Location"] == reverse("stations-kiosk-unlock")
    response = tablet.post(reverse("stations-kiosk-unlock"), {"pin": "0000"})
    assert response.status_code == 400
    assert b"That PIN is not right" in response.content
    response = tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    assert response["Location"] == reverse("stations-kiosk-staff")
    assert tablet.get(reverse("stations-kiosk-staff")).status_code == 200


def test_wrong_pins_are_limited(tablet):
    for _ in range(5):
        tablet.post(reverse("stations-kiosk-unlock"), {"pin": "0000"})
    response = tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    assert b"Too many wrong PINs" in response.content


def test_refused_pins_and_people_turned_away_are_logged(tablet, caplog):
    caplog.set_level(logging.INFO, logger="stations.services")
    tablet.post(reverse("stations-kiosk-unlock"), {"pin": "0000"})
    tablet.post(reverse("stations-kiosk-code"), {"code": "AAAA-BBBB-CCCC"})
    refused = [r for r in caplog.records if getattr(r, "event", None) == "action.refused"]
    session = StationSession.objects.get()
    assert [(r.action, r.session_id, r.codes) for r in refused] == [
        ("stations.staff_pin_check", session.pk, ["wrong_pin"]),
        ("stations.voter_check", session.pk, []),
    ]
    assert refused[1].reason == Refusal.Reason.CODE_NOT_RECOGNISED
    # What the records say: their message and the fields the service added (a record's
    # own timing fields can hold "0000" by chance, as in 1764402118.80000).
    standard = set(vars(logging.makeLogRecord({})))
    for record in refused:
        said = {k: v for k, v in vars(record).items() if k not in standard}
        assert said and "0000" not in f"{record.getMessage()} {said}"


def test_a_declaration_from_outside_the_station_s_area_is_refused(tablet, anchor_staff):
    tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    response = tablet.post(
        reverse("stations-kiosk-declaration"),
        {
            "name": "Someone Far",
            "postcode": "SW1A 1AA",
            "confirmed": "on",
            "checked_by": anchor_staff.pk,
        },
    )
    assert response.status_code == 400
    assert b"is not in a neighbourhood that votes at this station" in response.content
    # The refused person's details are not left on screen.
    assert b"Someone Far" not in response.content
    assert Participation.objects.exists() is False


def test_a_declaration_with_a_made_up_postcode_is_refused_plainly(tablet, anchor_staff):
    tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    response = tablet.post(
        reverse("stations-kiosk-declaration"),
        {"name": "A", "postcode": "NOT A CODE", "confirmed": "on", "checked_by": anchor_staff.pk},
    )
    assert response.status_code == 400
    assert b"Enter a real UK postcode" in response.content


def test_closing_shows_counts_beside_the_record_and_unbinds_the_tablet(tablet, anchor_staff):
    tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    response = tablet.post(
        reverse("stations-kiosk-close"),
        {
            "codes_issued": 3,
            "ballots": 2,
            "spoilt": 0,
            "refusals": 1,
            "closed_by": anchor_staff.pk,
            "note": "",
        },
    )
    assert response["Location"] == reverse("stations-kiosk-closed")
    page = tablet.get(reverse("stations-kiosk-closed"))
    assert b"Station closed" in page.content
    assert [(r.label, r.difference) for r in page.context["rows"]] == [
        ("Voter codes used", 3),
        ("Ballots cast", 2),
        ("Spoilt or abandoned", 0),
        ("People turned away", 1),
        ("Paper ballots handed out", 0),  # left empty: none
    ]
    assert b"not open as a polling station" in tablet.get(reverse("stations-kiosk")).content


def test_outside_its_opening_times_the_kiosk_says_so_and_takes_no_voter(tablet, station, code):
    from datetime import timedelta

    from django.utils import timezone

    PollingStation.objects.filter(pk=station.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1),
        opens_at=timezone.now() - timedelta(hours=2),
    )
    page = tablet.get(reverse("stations-kiosk"))
    assert b"This polling station is closed now" in page.content
    assert b"Voter code" not in page.content
    response = tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    assert b"This polling station is closed." in response.content
    assert kiosk.VOTER not in tablet.session


def _type_code(tablet, text):
    return tablet.post(reverse("stations-kiosk-code"), {"code": text})


@override_settings(STATION_WRONG_CODES_PER_HOUR=3, VOTER_CODE_ATTEMPTS_PER_HOUR=10)
def test_wrong_codes_are_limited_per_station_session_until_staff_step_in(tablet, code):
    for wrong in ["AAAA-BBBB-CCC1", "AAAA-BBBB-CCC2", "AAAA-BBBB-CCC3"]:
        assert b"not right for this station" in _type_code(tablet, wrong).content
    # The limit is reached: even the right code is not taken, and the voter is told why.
    response = _type_code(tablet, code.code)
    assert response.status_code == 400
    assert b"Too many wrong voter codes have been typed on this tablet" in response.content
    assert b"ask a member of staff" in response.content
    assert kiosk.VOTER not in tablet.session
    assert Refusal.objects.filter(reason=Refusal.Reason.TOO_MANY_CODES).count() == 1
    code.refresh_from_db()
    assert code.used_on is None

    # Staff see why, and let the tablet take codes again.
    tablet.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    staff_page = tablet.get(reverse("stations-kiosk-staff")).content.decode()
    assert "This tablet is not taking voter codes: 3 wrong codes were typed" in staff_page
    tablet.post(reverse("stations-kiosk-codes-resume"))
    staff_page = tablet.get(reverse("stations-kiosk-staff")).content.decode()
    assert "The tablet takes voter codes again." in staff_page
    assert "not taking voter codes" not in staff_page
    tablet.post(reverse("stations-kiosk-lock"))
    assert _type_code(tablet, code.code)["Location"] == reverse("stations-kiosk-ballot")


@override_settings(STATION_WRONG_CODES_PER_HOUR=100, VOTER_CODE_ATTEMPTS_PER_HOUR=2)
def test_one_code_is_limited_across_every_tablet(client, tablet, station, anchor_staff, code):
    from django.test import Client

    _type_code(tablet, "AAAA-BBBB-CCCC")
    other = Client()
    other.force_login(anchor_staff)
    other.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    _type_code(other, "aaaa bbbb cccc")  # the same code, typed differently, elsewhere
    response = _type_code(other, "AAAABBBBCCCC")
    assert b"This voter code has been tried too many times" in response.content
    # Other codes still work on both tablets.
    assert _type_code(tablet, code.code)["Location"] == reverse("stations-kiosk-ballot")


def test_only_staff_may_let_the_tablet_take_codes_again(tablet):
    response = tablet.post(reverse("stations-kiosk-codes-resume"))
    assert response["Location"] == reverse("stations-kiosk-unlock")


@override_settings(VOTER_CODE_ATTEMPTS_PER_HOUR=2)
def test_a_refusal_that_is_not_a_wrong_code_does_not_count(tablet, code, resident, envelope):
    from stations import services
    from voting import code_attempts

    session = StationSession.objects.get()
    scopes = code_attempts.at_station(session_id=session.pk, code=code.code)
    services.code_check(session=session, code=code.code)  # accepted: nothing counted
    assert [scope.used for scope in scopes] == [0, 0]


def test_the_station_list_shows_the_day_a_station_closes(client, station, anchor_staff):
    # Found by a trial: "Open 28 November 2026, 00:00 to 18:00" for a station closing in December.
    station.closes_at = station.opens_at + timedelta(days=25)
    station.save()
    client.force_login(anchor_staff)
    page = client.get(reverse("stations-list")).content.decode()
    closes = timezone.localtime(station.closes_at).strftime("%-d %B %Y, %H:%M")
    assert f"to {closes}." in page


def test_a_short_pin_is_refused_in_the_hint_s_own_words(client, station, anchor_staff):
    # Found by a trial: "Ensure this value has at least 4 characters (it has 2)."
    client.force_login(anchor_staff)
    response = client.post(reverse("stations-open", args=[station.pk]), {"pin": "12"})
    assert response.status_code == 400
    assert b"Choose a staff PIN of 4 to 8 digits." in response.content
    assert b"Ensure this value" not in response.content


def _ballot_form(tablet):
    return tablet.get(reverse("stations-kiosk-ballot")).context["submission"]


def test_check_my_choices_shows_them_and_their_total(tablet, code, on_ballot):
    # Found by a trial: "Check my choices" showed the same page with no summary at all.
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    submission = _ballot_form(tablet)
    response = tablet.post(
        reverse("stations-kiosk-ballot"),
        {"choice": [on_ballot["Benches"]], "submission": submission, "check": "1"},
    )
    # Post, then redirect: Back never offers to send the form again (a trial's stumble).
    assert response["Location"] == reverse("stations-kiosk-ballot") + "?check=1"
    response = tablet.get(response["Location"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check your choices" in page
    (chosen,) = response.context["checked"].chosen
    assert chosen[0].pk == on_ballot["Benches"]
    assert "Total cost" in page
    assert Ballot.objects.exists() is False
    nothing = tablet.post(
        reverse("stations-kiosk-ballot"), {"submission": submission, "check": "1"}, follow=True
    ).content.decode()
    # Nothing was being sent at the check step, so the error does not say a vote was not.
    assert "There is a problem with your choices" in nothing
    assert "Choose at least one idea" in nothing
    assert "Your vote has not been sent" not in nothing


def test_checking_keeps_the_age_box_ticked(client, council, anchor_staff, officer):
    # Found by a trial: checking silently unticked "I am 16 or older", then sending failed.
    from tests.stations.factories import PollingStationFactory
    from tests.voting.conftest import make_voting_envelope

    aged = make_voting_envelope(council, minimum_age=16)
    station = PollingStationFactory(round=aged.round, neighbourhoods=[aged.neighbourhood])
    station.anchor.staff.add(anchor_staff)
    client.force_login(anchor_staff)
    client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    code = voter_codes_generate(envelope_id=aged.pk, size=1, created_by=officer).codes.get()
    client.post(reverse("stations-kiosk-code"), {"code": code.code})
    benches = aged.proposals.get(title="Benches").pk
    data = {"choice": [benches], "submission": _ballot_form(client), "age_confirmed": "yes"}
    ballot = reverse("stations-kiosk-ballot")
    page = client.post(ballot, data | {"check": "1"}, follow=True).content.decode()
    assert "Check your choices" in page
    assert 'name="age_confirmed" type="checkbox" value="yes" autocomplete="off" checked' in page
    unticked = data | {"check": "1", "age_confirmed": ""}
    response = client.post(ballot, unticked, follow=True)
    assert b"Confirm that you are 16 or older to vote." in response.content
    # The checked choices are not kept: a reload shows the ballot afresh.
    assert b"Check your choices" not in client.get(ballot + "?check=1").content


def test_a_refused_form_on_the_kiosk_keeps_the_kiosk_layout(station, anchor_staff):
    # Found by a trial: Back + Reload re-sent an old form, and the CSRF refusal led the
    # voter from the tablet to the residents' site.
    from django.test import Client

    tablet = Client(enforce_csrf_checks=True)
    tablet.force_login(anchor_staff)
    token = tablet.get(reverse("stations-open", args=[station.pk])).context["csrf_token"]
    tablet.post(
        reverse("stations-open", args=[station.pk]),
        {"pin": STAFF_PIN, "csrfmiddlewaretoken": str(token)},
    )
    assert b"Vote here" in tablet.get(reverse("stations-kiosk")).content
    for response, start in (
        (tablet.post(reverse("stations-kiosk-ballot"), {"choice": ["1"]}), "/kiosk/"),
        (tablet.get("/kiosk/no-such-page/"), "/kiosk/"),
        (tablet.get("/cy/kiosk/no-such-page/"), "/cy/kiosk/"),
    ):
        page = response.content.decode()
        assert response.status_code in (403, 404)
        assert "nd-kiosk" in page and f'href="{start}"' in page
        assert "Find your neighbourhood" not in page and "Menu" not in page
        assert "no-store" in response["Cache-Control"]


def test_start_again_with_ticks_asks_first_and_keeps_them(tablet, code, on_ballot):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    trees = on_ballot["Trees"]
    page = tablet.post(
        reverse("stations-kiosk-ballot"), {"choice": [trees], "start_again": "ask"}
    ).content.decode()
    assert "Start again?" in page
    assert (
        f'value="{trees}" autocomplete="off" aria-describedby="choice-{trees}-hint" checked' in page
    )
    assert kiosk.VOTER in tablet.session
    assert StationSession.objects.get().abandoned_recorded == 0
    # "No, keep my choices": the ballot as it was, without the question.
    page = tablet.post(
        reverse("stations-kiosk-ballot"), {"choice": [trees], "start_again": "keep"}
    ).content.decode()
    assert "Start again?" not in page
    assert (
        f'value="{trees}" autocomplete="off" aria-describedby="choice-{trees}-hint" checked' in page
    )
    # "Yes, clear my choices".
    tablet.post(reverse("stations-kiosk-reset"), {"why": "start-again"})
    assert kiosk.VOTER not in tablet.session
    assert StationSession.objects.get().abandoned_recorded == 1


def test_start_again_with_nothing_ticked_clears_at_once(tablet, code):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    response = tablet.post(reverse("stations-kiosk-ballot"), {"start_again": "ask"})
    assert response["Location"] == reverse("stations-kiosk")
    assert kiosk.VOTER not in tablet.session
    assert StationSession.objects.get().abandoned_recorded == 1


def test_the_kiosk_ballot_speaks_of_ideas_and_says_how_votes_are_counted(tablet, code):
    tablet.post(reverse("stations-kiosk-code"), {"code": code.code})
    page = tablet.get(reverse("stations-kiosk-ballot")).content.decode()
    assert '<h2 class="govuk-fieldset__heading">The ideas</h2>' in page
    assert "How the votes will be counted" in page
    assert "proposals" not in page.lower()
