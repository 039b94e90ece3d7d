"""Officers' side of polling stations: set-up, figures, session records, held declarations."""

import time
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.kiosk import KioskVoter
from stations.models import HeldDeclaration, PollingStation
from stations.services import session_close, station_ballot_cast
from tests.accounts.factories import UserFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory
from voting.models import Ballot

pytestmark = pytest.mark.django_db


def _form(station_round, anchor, neighbourhoods):
    now = timezone.localtime()
    return {
        "round": station_round.pk,
        "anchor": anchor.pk,
        "neighbourhoods": [n.pk for n in neighbourhoods],
        "place": "Adamsdown Library",
        "address": "",
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": "09:00:00",
        "closes_at_0": now.strftime("%Y-%m-%d"),
        "closes_at_1": "17:00:00",
        "idle_seconds": 90,
    }


def test_an_officer_sets_up_a_station(officer_client, station, envelope):
    url = reverse("admin:stations_pollingstation_add")
    data = _form(envelope.round, station.anchor, [envelope.neighbourhood])
    response = officer_client.post(url, data)
    assert response.status_code == 302
    created = PollingStation.objects.get(place="Adamsdown Library")
    assert list(created.neighbourhoods.all()) == [envelope.neighbourhood]


def test_a_station_for_a_neighbourhood_its_anchor_does_not_serve_is_refused(
    officer_client, station, envelope, council
):
    elsewhere = NeighbourhoodFactory(council=council, name="Cathays")
    url = reverse("admin:stations_pollingstation_add")
    response = officer_client.post(url, _form(envelope.round, station.anchor, [elsewhere]))
    assert response.status_code == 200
    assert "does not serve Cathays" in response.content.decode()
    assert PollingStation.objects.filter(place="Adamsdown Library").exists() is False


def test_an_idle_time_out_of_range_is_refused(officer_client, station, envelope):
    data = _form(envelope.round, station.anchor, [envelope.neighbourhood]) | {"idle_seconds": 2}
    response = officer_client.post(reverse("admin:stations_pollingstation_add"), data)
    assert response.status_code == 200
    assert PollingStation.objects.filter(place="Adamsdown Library").exists() is False


def test_bad_times_are_refused_in_plain_english_never_by_constraint_name(
    officer_client, station, envelope
):
    # Found by a trial: "Constraint “stations_opens_before_closes” is violated."
    data = _form(envelope.round, station.anchor, [envelope.neighbourhood]) | {
        "opens_at_1": "18:00:00",
        "closes_at_1": "08:00:00",
        "idle_seconds": 5,
    }
    response = officer_client.post(reverse("admin:stations_pollingstation_add"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The station must close after it opens." in page
    assert "The idle time must be between 10 and 1,800 seconds." in page
    assert "Constraint" not in page and "stations_" not in page
    assert PollingStation.objects.filter(place="Adamsdown Library").exists() is False


def test_another_council_s_officer_cannot_see_the_station(outsider_client, station):
    url = reverse("admin:stations_pollingstation_change", args=[station.pk])
    assert outsider_client.get(url).status_code == 404
    listing = outsider_client.get(reverse("admin:stations_pollingstation_changelist"))
    assert station.place not in listing.content.decode()
    figures = outsider_client.get(reverse("admin:stations_pollingstation_figures"))
    assert station.place not in figures.content.decode()


def _declare_and_cast(session, envelope, staff, name, choice):
    voter = KioskVoter(
        envelope_id=envelope.pk,
        method="declaration",
        expires=time.time() + 60,
        name=name,
        postcode="CF24 2AB",
        checked_by_id=staff.pk,
    )
    return station_ballot_cast(
        session_id=session.pk, voter=voter, choices={choice: 1}, idempotency_key=uuid.uuid4()
    )


def test_officers_see_votes_by_channel_and_by_station(
    officer_client, session, envelope, anchor_staff, on_ballot, django_assert_max_num_queries
):
    _declare_and_cast(session, envelope, anchor_staff, "Jon Evans", on_ballot["Trees"])
    _declare_and_cast(session, envelope, anchor_staff, "John Evans", on_ballot["Trees"])
    with django_assert_max_num_queries(20):
        response = officer_client.get(reverse("admin:stations_pollingstation_figures"))
    page = response.content.decode()
    figures = response.context["figures"][0]
    assert [(c.label, c.ballots) for c in figures.channels] == [
        ("Online", 0),
        ("Polling station", 1),
        ("Paper", 0),
    ]
    assert figures.held_pending == 1
    assert figures.turnout_percent == "0.0%"
    station = figures.stations[0]
    # Ballots cast there: the held one was cast too (selectors.with_ballots_cast).
    assert (station.ballots_total, station.refusals_total, station.held_total) == (2, 0, 1)
    assert "Splott Community Centre" in page


def test_the_session_record_shows_differences(officer_client, session, anchor_staff):
    session_close(
        session_id=session.pk,
        closed_by_id=anchor_staff.pk,
        codes_issued=0,
        ballots=3,
        spoilt=0,
        refusals=0,
    )
    response = officer_client.get(reverse("admin:stations_stationsession_changelist"))
    assert "Ballots cast: +3" in response.content.decode()
    detail = officer_client.get(reverse("admin:stations_stationsession_change", args=[session.pk]))
    assert detail.status_code == 200


def _decide(client, held, decision, reason=""):
    url = reverse("admin:stations_helddeclaration_decide", args=[held.pk, decision])
    return client.post(url, {"reason": reason}, follow=True)


def test_a_held_declaration_s_page_shows_whom_it_may_match(
    officer_client, session, envelope, anchor_staff, on_ballot, django_assert_max_num_queries
):
    _declare_and_cast(session, envelope, anchor_staff, "Jon Evans", on_ballot["Trees"])
    _declare_and_cast(session, envelope, anchor_staff, "John Evans", on_ballot["Benches"])
    held = HeldDeclaration.objects.get()
    with django_assert_max_num_queries(25):
        response = officer_client.get(
            reverse("admin:stations_helddeclaration_change", args=[held.pk])
        )
    page = response.content.decode()
    table = page[page.index('class="held-matches"') :]
    assert "John Evans" in table  # the declaration held
    assert "jon evans" in table  # the register entry it may be, as recorded
    today = f"{timezone.localdate():%-d %B %Y}"
    assert f"Polling station, on {today}, for {envelope.neighbourhood.name}" in table
    assert "Approve: count their ballot" in page
    assert (
        'name="action"'
        not in officer_client.get(
            reverse("admin:stations_helddeclaration_changelist")
        ).content.decode()
    )


def test_a_held_declaration_matching_an_online_voter_shows_their_account(
    officer_client, session, envelope, anchor_staff, on_ballot
):
    from voting.models import Channel, Participation

    resident = UserFactory(display_name="Sian Morgan", home_postcode="CF24 2AB")
    Participation.objects.create(
        round=envelope.round,
        envelope=envelope,
        voter=resident,
        channel=Channel.ONLINE,
        voted_on=timezone.localdate(),
    )
    _declare_and_cast(session, envelope, anchor_staff, "Sian Morgans", on_ballot["Trees"])
    held = HeldDeclaration.objects.get()
    page = officer_client.get(
        reverse("admin:stations_helddeclaration_change", args=[held.pk])
    ).content.decode()
    table = page[page.index('class="held-matches"') :]
    assert "Sian Morgan<" in table and "Online, on" in table


def test_an_officer_approves_a_held_declaration_and_its_ballot_counts(
    officer_client, session, envelope, anchor_staff, on_ballot
):
    _declare_and_cast(session, envelope, anchor_staff, "Jon Evans", on_ballot["Trees"])
    _declare_and_cast(session, envelope, anchor_staff, "John Evans", on_ballot["Benches"])
    held = HeldDeclaration.objects.get()
    confirm = officer_client.get(
        reverse("admin:stations_helddeclaration_decide", args=[held.pk, "approve"])
    )
    assert "This cannot be undone" in confirm.content.decode()
    assert HeldDeclaration.objects.get().status == HeldDeclaration.Status.PENDING
    response = _decide(officer_client, held, "approve")
    assert "Approved: their ballot is counted." in response.content.decode()
    assert sorted(Ballot.objects.values_list("choices__proposal__title", flat=True)) == [
        "Benches",
        "Trees",
    ]
    held.refresh_from_db()
    assert (held.status, held.name, held.sealed_choices) == ("approved", "", {})


def test_rejecting_needs_a_reason_and_without_one_changes_nothing(
    officer_client, session, envelope, anchor_staff, on_ballot
):
    _declare_and_cast(session, envelope, anchor_staff, "Jon Evans", on_ballot["Trees"])
    _declare_and_cast(session, envelope, anchor_staff, "John Evans", on_ballot["Benches"])
    held = HeldDeclaration.objects.get()
    response = _decide(officer_client, held, "reject", reason="   ")
    assert "Say why you are rejecting it" in response.content.decode()
    held.refresh_from_db()
    assert (held.status, held.name) == ("pending", "John Evans")


def test_a_rejected_declaration_s_ballot_never_counts(
    officer_client, session, envelope, anchor_staff, on_ballot
):
    _declare_and_cast(session, envelope, anchor_staff, "Jon Evans", on_ballot["Trees"])
    _declare_and_cast(session, envelope, anchor_staff, "John Evans", on_ballot["Benches"])
    held = HeldDeclaration.objects.get()
    _decide(officer_client, held, "reject", reason="Same person: he voted at 10:00 today.")
    assert Ballot.objects.count() == 1
    held.refresh_from_db()
    assert held.status == HeldDeclaration.Status.REJECTED
    assert held.decision_note == "Same person: he voted at 10:00 today."
    again = _decide(officer_client, held, "approve")
    assert "already been decided" in again.content.decode()
    assert Ballot.objects.count() == 1


def test_an_officer_of_another_council_cannot_decide(
    outsider_client, session, envelope, anchor_staff, on_ballot
):
    _declare_and_cast(session, envelope, anchor_staff, "Jon Evans", on_ballot["Trees"])
    _declare_and_cast(session, envelope, anchor_staff, "John Evans", on_ballot["Benches"])
    held = HeldDeclaration.objects.get()
    response = _decide(outsider_client, held, "approve")
    assert response.status_code == 404
    assert HeldDeclaration.objects.get().status == HeldDeclaration.Status.PENDING


def test_the_demo_has_a_station_the_demo_anchor_can_open(db):
    from accounts.models import User
    from demo.seed import seed_demo
    from stations.services import stations_for_staff

    seed_demo()
    seed_demo()
    anchor = User.objects.get(email="anchor@demo.test")
    stations = list(stations_for_staff(anchor))
    assert [s.place for s in stations] == ["Splott Community Hub, drop-in voting"]
    assert stations[0].is_open_at(timezone.now())


def test_a_matching_declaration_mentions_a_date_of_birth_only_where_one_was_asked(
    session, envelope, anchor_staff, on_ballot
):
    # Found by a trial: the refusal spoke of a date of birth the form never asked for.
    from stations.services import Refused, declaration_check

    _declare_and_cast(session, envelope, anchor_staff, "Jon Evans", on_ballot["Trees"])
    with pytest.raises(Refused) as refused:
        declaration_check(
            session=session,
            name="Jon Evans",
            postcode="CF24 2AB",
            date_of_birth=None,
            checked_by_id=anchor_staff.pk,
        )
    assert refused.value.message.startswith(
        "Someone with this name and postcode has already voted in this round (polling station)"
    )
    assert "date of birth" not in refused.value.message
