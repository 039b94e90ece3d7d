"""The polling-station kiosk with no network (issue 17, point 1), in Chromium.

The tablet is taken offline with Playwright's ``context.set_offline``. Journeys start
where staff and voters start (the kiosk's address, /admin/ for officers) and go on only
by touching what is on screen; every screen is checked with axe-core.
"""

import base64
import re
import uuid

import pytest
from playwright.sync_api import expect

from budgets.models import Round
from stations.models import OfflineBallot
from tests.accounts.factories import UserFactory
from tests.browser import test_polling_station as journeys
from tests.browser.conftest import PATIENCE_MS, axe_violations
from tests.browser.test_polling_station import (
    PIN,
    _staff,
    check_screen,
    sign_in_with_two_factor,
    staff_opens_the_station,
    staff_unlocks,
    voter_enters_code,
)
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot, Channel, Participation
from voting.services import ballot_cast, voter_code_redeem, voter_codes_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The polling-station journeys' tablet, staff and station.
tablet = journeys.tablet
anchor_staff = journeys.anchor_staff
station = journeys.station

READY = "This tablet is ready to work without a network."


@pytest.fixture
def minimum_age():
    return None


@pytest.fixture
def envelope(council, minimum_age):
    extra = {"minimum_age": minimum_age} if minimum_age else {}
    return make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK, **extra)


@pytest.fixture
def desk(browser, live_server):
    """An officer's desk; the CSP is bypassed only so axe-core can be injected."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    yield page
    context.close()


KEPT = "Thank you. Your vote has been kept on this tablet."


def _codes(envelope, officer, n):
    batch = voter_codes_generate(envelope_id=envelope.pk, size=n, created_by=officer)
    return [code.code for code in batch.codes.order_by("pk")]


def open_and_go_offline(tablet, anchor_staff):
    staff_opens_the_station(tablet, anchor_staff)
    tablet.get_by_text(READY).wait_for()
    tablet.context.set_offline(True)
    # The start screen sees the network go and shows the kept offline page.
    tablet.get_by_role("heading", name="No network").wait_for()
    check_screen(tablet, "Vote here")
    tablet.history_offline = tablet.evaluate("history.length")


def waiting(tablet, n):
    tablet.get_by_text(f"{n} waiting to be sent").first.wait_for()


def vote_offline(tablet, code, titles, *, start_again=False):
    tablet.get_by_label("Voter code").fill(code)
    tablet.get_by_role("button", name="Continue").click()
    check_screen(tablet, "Vote for Splott")
    for title in titles:
        tablet.get_by_label(title).check()
    if start_again:
        # Asked first, as online: "No" keeps the ticks, "Yes" clears them.
        tablet.get_by_role("button", name="Start again").click()
        tablet.get_by_role("button", name="No, keep my choices").click()
        expect(tablet.get_by_label(titles[0])).to_be_checked()
        tablet.get_by_role("button", name="Start again").click()
        expect(tablet.get_by_role("heading", name="Start again?")).to_be_visible()
        tablet.get_by_role("button", name="Yes, clear my choices").click()
    else:
        tablet.get_by_role("button", name="Send my vote").click()
        tablet.get_by_text(KEPT).wait_for()
    check_screen(tablet, "Vote here")


def queue(tablet):
    return tablet.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("nd-kiosk-offline");
            open.onsuccess = () => {
                const read = open.result.transaction("queue").objectStore("queue").getAll();
                read.onsuccess = () => { resolve(read.result); open.result.close(); };
                read.onerror = () => reject(read.error);
            };
            open.onerror = () => reject(open.error);
        })"""
    )


def assert_unreadable(tablet, secrets, *, choices=()):
    """The queue is ciphertext only (no code, name or choice in it), and nothing of a
    voter is on screen: no code or name in the page, nothing ticked or typed."""
    records = queue(tablet)
    assert records
    for record in records:
        assert set(record) == {"key", "iv", "data"}
        sealed = base64.b64decode(record["data"])
        for secret in [*secrets, *choices, "choice", "method"]:
            assert secret.encode() not in sealed
            assert secret not in record["data"]
    html = tablet.content()
    for secret in secrets:
        assert secret not in html
    assert tablet.locator("input:checked").count() == 0
    typed = tablet.eval_on_selector_all(
        "input:not([type=hidden]):not([type=checkbox]):not([type=radio])",
        "els => els.map(e => e.value)",
    )
    assert set(typed) <= {""}
    # Every offline screen replaced the last: no voter's screen to go back to.
    assert tablet.evaluate("history.length") == tablet.history_offline


def test_two_ballots_cast_offline_are_stored_once_the_network_is_back(
    tablet, station, envelope, officer, anchor_staff
):
    first, second = _codes(envelope, officer, 2)
    open_and_go_offline(tablet, anchor_staff)

    vote_offline(tablet, first, ["Trees"])
    waiting(tablet, 1)
    # A reload with no network still gives a working kiosk, queue and all.
    tablet.reload()
    check_screen(tablet, "Vote here")
    waiting(tablet, 1)
    vote_offline(tablet, second, ["Benches", "Play area"])
    waiting(tablet, 2)
    assert_unreadable(tablet, [first, second], choices=["Benches", "Trees"])
    assert Ballot.objects.count() == 0

    # Staff see the queue with no network too.
    tablet.get_by_role("button", name="Staff only").click()
    check_screen(tablet, "Staff only")
    tablet.get_by_label("Staff PIN").fill("0000")
    tablet.get_by_role("button", name="Continue").click()
    tablet.get_by_role("alert").get_by_text("That PIN is not right.").wait_for()
    tablet.get_by_label("Staff PIN").fill(PIN)
    tablet.get_by_role("button", name="Continue").click()
    check_screen(tablet, "Station figures")
    waiting(tablet, 2)
    tablet.get_by_role("button", name="Back to voting").first.click()
    check_screen(tablet, "Vote here")

    tablet.context.set_offline(False)
    tablet.wait_for_url(re.compile(r"/kiosk/$"))
    check_screen(tablet, "Vote here")
    assert queue(tablet) == []
    assert Ballot.objects.filter(channel=Channel.POLLING_STATION).count() == 2
    assert Participation.objects.filter(channel=Channel.POLLING_STATION).count() == 2
    assert OfflineBallot.objects.filter(outcome=OfflineBallot.Outcome.COUNTED).count() == 2
    chosen = sorted(
        sorted(b.choices.values_list("proposal__title", flat=True)) for b in Ballot.objects.all()
    )
    assert chosen == [["Benches", "Play area"], ["Trees"]]

    staff_unlocks(tablet)
    waiting(tablet, 0)
    expect(tablet.get_by_text(READY)).to_be_visible()


def test_a_queued_ballot_refused_on_sync_is_shown_to_staff_and_decided_by_an_officer(
    tablet, desk, station, envelope, officer, anchor_staff
):
    _staff("olwen@council.test", "Olwen", council=officer.council)
    code, other = _codes(envelope, officer, 2)
    open_and_go_offline(tablet, anchor_staff)
    vote_offline(tablet, code, ["Trees"])
    vote_offline(tablet, other, ["Benches"])
    waiting(tablet, 2)

    # Meanwhile the first voter also votes online with the same letter.
    resident = UserFactory(email="nia@example.test", home_postcode="CF24 2AB")
    voter_code_redeem(user=resident, envelope_id=envelope.pk, code=code)
    proposals = dict(envelope.proposals.values_list("title", "pk"))
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={proposals["Play area"]: 1},
        idempotency_key=uuid.uuid4(),
    )

    tablet.context.set_offline(False)
    tablet.wait_for_url(re.compile(r"/kiosk/$"))
    assert queue(tablet) == []
    assert Ballot.objects.count() == 2  # the online one and the other offline one
    refused = OfflineBallot.objects.get(outcome=OfflineBallot.Outcome.REFUSED)
    assert refused.decision == OfflineBallot.Decision.PENDING

    staff_unlocks(tablet)
    outcomes = tablet.locator("[data-offline-outcomes]")
    outcomes.get_by_text("Refused when it arrived.").wait_for()
    assert "has already voted online in this round" in outcomes.inner_text()
    assert "Waiting for an officer" in outcomes.inner_text()

    desk.goto("/admin/")
    sign_in_with_two_factor(desk, "olwen@council.test")
    desk.get_by_role("link", name="Offline ballots").click()
    row = desk.get_by_role("row", name=re.compile("already voted online"))
    row.wait_for()  # the list has loaded before axe looks at it
    assert axe_violations(desk) == []
    row.get_by_role("checkbox").check()
    desk.get_by_label("Action:").select_option(label="Accept: count these ballots")
    desk.get_by_role("button", name="Run").click()
    desk.get_by_text("It cannot be counted: This person has already voted online").wait_for()
    assert Ballot.objects.count() == 2

    desk.get_by_role("row", name=re.compile("already voted online")).get_by_role("checkbox").check()
    desk.get_by_label("Action:").select_option(label="Reject: do not count these ballots")
    desk.get_by_role("button", name="Run").click()
    desk.get_by_role("button", name="Reject them").click()
    desk.get_by_text("This field is required.").wait_for()
    assert axe_violations(desk) == []
    desk.get_by_label("Why are these ballots rejected?").fill("Voted online the same day.")
    desk.get_by_role("button", name="Reject them").click()
    desk.get_by_text("1 rejected: their ballots will not be counted.").wait_for()

    refused.refresh_from_db()
    assert refused.decision == OfflineBallot.Decision.REJECTED
    assert (refused.sealed_choices, refused.sealed_voter) == ({}, {})
    assert Ballot.objects.count() == 2

    tablet.get_by_role("button", name="Back to voting").click()
    staff_unlocks(tablet)
    assert "Voted online the same day." in tablet.locator("[data-offline-outcomes]").inner_text()


def test_starting_again_keeps_the_queue_and_leaves_nothing_of_the_voter(
    tablet, station, envelope, officer, anchor_staff
):
    first, second, third = _codes(envelope, officer, 3)
    open_and_go_offline(tablet, anchor_staff)
    vote_offline(tablet, first, ["Trees"])
    vote_offline(tablet, second, ["Benches"], start_again=True)
    waiting(tablet, 1)
    assert len(queue(tablet)) == 1
    assert_unreadable(tablet, [first, second], choices=["Trees", "Benches"])

    # Back online, but the sync cannot get through: a voter online starts again (the
    # server's reset, with Clear-Site-Data "cache"), and the queue is still there.
    tablet.route("**/kiosk/offline/sync/", lambda route: route.abort())
    tablet.context.set_offline(False)
    tablet.wait_for_url(re.compile(r"/kiosk/$"))
    voter_enters_code(tablet, third)
    check_screen(tablet, "Vote for Splott")
    tablet.get_by_label("Trees").check()
    tablet.get_by_role("button", name="Start again").click()
    tablet.get_by_role("button", name="Yes, clear my choices").click()
    check_screen(tablet, "Vote here")
    assert len(queue(tablet)) == 1
    assert Ballot.objects.count() == 0

    tablet.unroute("**/kiosk/offline/sync/")
    staff_unlocks(tablet)
    waiting(tablet, 0)
    assert Ballot.objects.count() == 1


def test_a_declaration_taken_offline_is_checked_when_it_arrives(
    tablet, station, envelope, anchor_staff
):
    open_and_go_offline(tablet, anchor_staff)
    tablet.get_by_role("button", name="Staff only").click()
    tablet.get_by_label("Staff PIN").fill(PIN)
    tablet.get_by_role("button", name="Continue").click()
    check_screen(tablet, "Station figures")
    tablet.get_by_role("button", name="Take a declaration").click()
    check_screen(tablet, "Take a declaration")
    tablet.get_by_role("button", name="Check and hand over").click()
    tablet.get_by_role("alert").get_by_text("Fill in every field").wait_for()
    tablet.get_by_label("Full name").fill("Megan Lewis")
    tablet.get_by_label("Home postcode").fill("cf24 2ab")
    tablet.get_by_label("I have read the declaration").check()
    tablet.get_by_label("Checked by").select_option(label="Aled")
    tablet.get_by_role("button", name="Check and hand over").click()
    check_screen(tablet, "Vote for Splott")
    tablet.get_by_role("button", name="Send my vote").click()
    tablet.get_by_role("alert").get_by_text("Choose at least one idea").wait_for()
    assert axe_violations(tablet) == []
    tablet.get_by_label("Play area").check()
    tablet.get_by_role("button", name="Send my vote").click()
    tablet.get_by_text(KEPT).wait_for()
    assert_unreadable(tablet, ["Megan", "Lewis", "cf24 2ab"], choices=["Play area"])

    tablet.context.set_offline(False)
    tablet.wait_for_url(re.compile(r"/kiosk/$"))
    participation = Participation.objects.get()
    assert participation.declared_voter.name == "megan lewis"
    assert Ballot.objects.get().channel == Channel.POLLING_STATION


@pytest.mark.parametrize("minimum_age", [16])
def test_the_offline_page_in_welsh(tablet, station, envelope, officer, anchor_staff):
    (code,) = _codes(envelope, officer, 1)
    open_and_go_offline(tablet, anchor_staff)
    # Switching language with no network: the Welsh kiosk was kept too.
    tablet.get_by_role("link", name="Cymraeg").click()
    tablet.get_by_role("heading", name="Dim rhwydwaith").wait_for()
    tablet.locator("h1").filter(has_text="Pleidleisiwch yma").wait_for()
    assert axe_violations(tablet) == []
    tablet.get_by_label("Cod pleidleisio").fill(code)
    tablet.locator("[data-screen=start] button[type=submit]").click()
    tablet.get_by_label("Trees").check()
    tablet.locator("[data-screen^=ballot] button[type=submit]").click()
    tablet.get_by_role("alert").wait_for()
    assert axe_violations(tablet) == []
    assert "16" in tablet.get_by_role("alert").inner_text()
