"""Paper ballots, as anchor staff and an officer use them: two staff each key a batch on
their own computer, one paper differs, the count is refused until an officer (a third
person) decides it from the paper, then the round counts with the paper ballots in.

Each person starts where they would (the station's sign-in, /admin/) and goes on only by
clicking what is on screen. Every screen is checked with axe-core.
"""

import re

import pytest
from playwright.sync_api import expect

from budgets.models import Round
from stations.models import StationSession
from stations.paper_models import PaperBallot, PaperBatch
from tests.browser import test_polling_station as journeys
from tests.browser.conftest import PATIENCE_MS, axe_violations
from tests.browser.test_officer_runs_a_round import (
    expect_message,
    officer_closes_voting_early,
    officer_goes_home,
    run_action,
    wait_until,
)
from tests.browser.test_polling_station import (
    PIN,
    _staff,
    check_screen,
    sign_in_with_two_factor,
    staff_opens_the_station,
    voter_enters_code,
)
from tests.stations.factories import PollingStationFactory, StationSessionFactory
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot, Channel, Participation
from voting.results.models import EnvelopeCount
from voting.services import voter_codes_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The polling-station journeys' touch tablet.
tablet = journeys.tablet


@pytest.fixture
def envelope(council):
    return make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)


@pytest.fixture
def people(envelope, council):
    aled = _staff("aled@anchor.test", "Aled")
    bethan = _staff("bethan@anchor.test", "Bethan")
    olwen = _staff("olwen@council.test", "Olwen", council=council)
    station = PollingStationFactory(
        round=envelope.round,
        place="Splott Community Centre",
        neighbourhoods=[envelope.neighbourhood],
    )
    station.anchor.staff.add(aled, bethan)
    # Two papers handed out on the tablet (that step's own journey is the last test here).
    StationSessionFactory(station=station, opened_by=aled, papers_issued_recorded=2)
    return aled, bethan, olwen


@pytest.fixture
def desk(browser, live_server):
    """A desk computer, for each person in turn: a fresh browser context per person."""
    contexts = []

    def open_desk(width=1280):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}, bypass_csp=True
        )
        context.set_default_timeout(PATIENCE_MS)
        contexts.append(context)
        return context.new_page()

    yield open_desk
    for context in contexts:
        context.close()


def checked(page, heading=None, width=1280):
    if heading:
        page.locator("h1").filter(has_text=heading).wait_for()
    page.wait_for_load_state()
    assert axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def staff_reach_paper_ballots(page, email, width=1280):
    page.goto("/kiosk/")
    page.get_by_role("link", name="Open a polling station (staff only)").click()
    sign_in_with_two_factor(page, email)
    checked(page, "Open a polling station", width)
    page.locator("#main-content").get_by_role("link", name="Paper ballots").click()
    checked(page, "Paper ballots", width)


def key_paper(page, n, of, titles, width=1280):
    page.get_by_role("heading", name=f"Paper {n} of {of}").wait_for()
    checked(page, width=width)
    for title in titles:
        page.get_by_label(title).check()
    page.get_by_role("button", name=f"Save paper {n}").click()


def test_a_batch_keyed_twice_with_one_difference_is_decided_and_counted(
    desk, celery_worker, envelope, people
):
    aled, bethan, olwen = people

    # Aled starts a batch of two papers from the station and keys it.
    page = desk()
    staff_reach_paper_ballots(page, aled.email)
    page.get_by_role("link", name="Start a batch").click()
    checked(page, "Start a batch of paper ballots")
    page.get_by_label("Number of papers in the batch").fill("0")
    page.get_by_role("button", name="Start the batch").click()
    page.get_by_role("alert").get_by_text(
        "Ensure this value is greater than or equal to 1"
    ).first.wait_for()
    checked(page)
    assert not PaperBatch.objects.exists()
    page.get_by_label("Number of papers in the batch").fill("2")
    page.get_by_role("button", name="Start the batch").click()
    # The batch's page shows once the batch is stored.
    page.locator("h1").filter(has_text="Key batch #").wait_for()
    batch = PaperBatch.objects.get()
    checked(page, f"Key batch #{batch.pk}")
    page.get_by_role("button", name="Start keying").click()
    key_paper(page, 1, 2, ["Trees"])
    key_paper(page, 2, 2, ["Benches"])
    page.get_by_text("You have keyed every paper in this batch.").wait_for()
    checked(page, "Paper ballots")
    # The same person is not offered a second keying (trial 16/17, stumble 16).
    mine = page.get_by_role("row", name=re.compile(f"#{batch.pk} "))
    mine.get_by_text("Someone else keys it a second time").wait_for()
    assert page.get_by_role("link", name=f"Key this batch #{batch.pk}").count() == 0
    assert batch.keyings.count() == 1

    # Bethan keys the same papers on a phone; she reads paper 2 differently.
    phone = desk(width=375)
    staff_reach_paper_ballots(phone, bethan.email, width=375)
    phone.get_by_role("link", name=f"Key this batch #{batch.pk}").click()
    checked(phone, f"Key batch #{batch.pk}", 375)
    phone.get_by_role("button", name="Start keying").click()
    key_paper(phone, 1, 2, ["Trees", "Play area"], width=375)
    phone.get_by_role("alert").get_by_text("£5,000 more than the £30,000 available").wait_for()
    checked(phone, width=375)
    assert not batch.keyings.get(keyed_by=bethan).entries.exists()
    phone.get_by_label("Play area").uncheck()
    phone.get_by_role("button", name="Save paper 1").click()
    key_paper(phone, 2, 2, ["Play area"], width=375)
    phone.get_by_text("both keyings are done. They read some papers differently").wait_for()
    assert phone.get_by_text("The second keying must be done by someone else").count() == 0
    row = phone.get_by_role("row", name=re.compile(f"#{batch.pk} "))
    row.get_by_text("Keyings differ: waiting for a decision").wait_for()
    # A keyer is not offered the deciding, only told who does it.
    row.get_by_text("Someone who keyed neither decides the differences").wait_for()
    assert phone.get_by_role("link", name=f"Decide the differences #{batch.pk}").count() == 0
    checked(phone, width=375)
    assert not Ballot.objects.filter(channel=Channel.PAPER).exists()

    # Voting closes; the officer cannot count while the batch is not decided.
    office = desk()
    office.goto("/admin/")
    sign_in_with_two_factor(office, olwen.email)
    office.get_by_role("heading", name="Site administration").wait_for()
    checked(office)
    office.get_by_role("row").get_by_role("link", name="Rounds", exact=True).click()
    office.get_by_role("link", name="Splott Decides").click()
    checked(office)
    officer_closes_voting_early(office)
    officer_goes_home(office)
    office.get_by_role("row").get_by_role("link", name="Rounds", exact=True).click()
    office.get_by_role("checkbox", name=re.compile("Splott Decides")).check()
    run_action(office, "Count now (counts only envelopes not yet counted)")
    expect_message(office, "These paper ballot batches are not checked yet")
    checked(office)
    assert not EnvelopeCount.objects.exists()

    # The officer sees the figures, then decides the difference from the paper.
    officer_goes_home(office)
    office.get_by_role("link", name="Paper ballot batches").click()
    checked(office)
    office.get_by_role("link", name="Votes by channel and by station").click()
    table = office.get_by_role("table", name="Paper ballots, by station and by batch")
    batch_row = table.get_by_role("row", name=re.compile(f"#{batch.pk} "))
    expect(batch_row.get_by_role("cell")).to_have_text(
        [
            re.compile(f"#{batch.pk} "),
            "Keyings differ: waiting for a decision",
            "2",
            "2 / 2",
            "1",
            "1",
            "0",
        ]
    )
    office.get_by_text("Counting waits until they are checked.").wait_for()
    checked(office)
    office.get_by_role("link", name="Key and check paper ballots").click()
    office.get_by_role("link", name=f"Decide the differences #{batch.pk}").click()
    checked(office, f"Decide the differences in batch #{batch.pk}")
    side_by_side = office.get_by_role("table", name="Paper 2 as each keying read it")
    expect(side_by_side.get_by_role("cell")).to_have_text(["Benches", "Play area"])
    office.get_by_role("button", name="Save the decisions").click()
    office.get_by_role("alert").get_by_text("Still to decide: 2").wait_for()
    checked(office)
    office.get_by_label("The first keying matches the paper").check()
    office.get_by_role("button", name="Save the decisions").click()
    office.get_by_text("Differences decided: the batch is checked and counts.").wait_for()
    checked(office, "Paper ballots")

    # Now the round counts, with both paper ballots in.
    office.get_by_role("link", name="Officers' area").click()
    office.get_by_role("row").get_by_role("link", name="Rounds", exact=True).click()
    office.get_by_role("checkbox", name=re.compile("Splott Decides")).check()
    run_action(office, "Count now (counts only envelopes not yet counted)")
    expect_message(office, "Counting started")
    wait_until(lambda: EnvelopeCount.objects.filter(envelope=envelope).exists(), what="the count")
    assert EnvelopeCount.objects.get(envelope=envelope).ballot_count == 2
    batch.refresh_from_db()
    assert (batch.status, batch.decided_by) == (PaperBatch.Status.CHECKED, olwen)
    assert PaperBallot.objects.get(batch=batch, position=2).decided_by == olwen
    papers = Ballot.objects.filter(channel=Channel.PAPER)
    assert sorted(papers.values_list("choices__proposal__title", flat=True)) == ["Benches", "Trees"]


def test_an_officer_withdraws_a_batch_from_its_page_with_a_reason(desk, envelope, people):
    """Started by mistake: an officer withdraws it from its page in the admin, with a
    reason; it no longer holds the count, and its history says why."""
    aled, _bethan, olwen = people
    batch = PaperBatch.objects.create(
        envelope=envelope, session=StationSession.objects.get(), papers=2, created_by=aled
    )
    office = desk()
    office.goto("/admin/")
    sign_in_with_two_factor(office, olwen.email)
    office.get_by_role("heading", name="Site administration").wait_for()
    office.get_by_role("link", name="Paper ballot batches").click()
    checked(office)
    office.get_by_role("link", name=str(batch)).click()
    checked(office)
    office.get_by_role("link", name="Withdraw this batch").click()
    checked(office, f"Withdraw batch {batch}?")
    office.get_by_role("button", name="Withdraw the batch: its papers are not counted").click()
    office.get_by_text("This field is required.").wait_for()
    checked(office)
    assert PaperBatch.objects.get().status == PaperBatch.Status.KEYING
    office.get_by_label("Why is this batch withdrawn? (required)").fill("Started twice by mistake.")
    office.get_by_role("button", name="Withdraw the batch: its papers are not counted").click()
    expect_message(office, "none of its papers will be counted")
    checked(office)
    withdrawn = PaperBatch.objects.get()
    assert withdrawn.status == PaperBatch.Status.WITHDRAWN
    assert withdrawn.decision_note == "Started twice by mistake."
    assert office.get_by_role("link", name="Withdraw this batch").count() == 0

    office.get_by_role("link", name="History").click()
    office.get_by_text("Withdrawn: Started twice by mistake.").wait_for()
    checked(office)


def test_staff_hand_a_voter_checked_on_the_tablet_a_paper_ballot_instead(
    tablet, envelope, people, officer
):
    """The voter is on the register from that moment: their code cannot vote again."""
    aled, _bethan, _olwen = people
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    staff_opens_the_station(tablet, aled)
    voter_enters_code(tablet, code.code)
    check_screen(tablet, "Vote for")
    tablet.get_by_role("link", name="Staff: give a paper ballot instead").click()
    check_screen(tablet, "Give a paper ballot instead")
    tablet.set_viewport_size({"width": 320, "height": 800})
    assert tablet.evaluate("document.documentElement.scrollWidth") <= 320
    tablet.set_viewport_size(journeys.TABLET)
    tablet.get_by_label("Staff PIN").fill("0000")
    tablet.get_by_role("button", name="Confirm: hand out a paper ballot").click()
    tablet.get_by_text("That PIN is not right.").first.wait_for()
    check_screen(tablet, "Give a paper ballot instead")
    assert not Participation.objects.exists()

    tablet.get_by_label("Staff PIN").fill(PIN)
    tablet.get_by_role("button", name="Confirm: hand out a paper ballot").click()
    check_screen(tablet, "Vote here")
    tablet.get_by_text("Paper ballot handed out.").wait_for()
    entry = Participation.objects.get()
    assert (entry.channel, entry.voter_id) == (Channel.PAPER, None)
    opened = StationSession.objects.filter(closed_at__isnull=True).latest("opened_at")
    assert opened.papers_issued_recorded == 1

    # The same letter again, as if they tried to vote on the tablet as well.
    voter_enters_code(tablet, code.code)
    tablet.get_by_text("That code has already been used.").wait_for()
    check_screen(tablet, "Vote here")
    assert Participation.objects.count() == 1
    assert not Ballot.objects.exists()
