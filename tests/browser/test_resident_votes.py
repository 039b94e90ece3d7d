"""A new resident's whole journey, by clicking only what they see from the home page:
postcode → neighbourhood → ideas → an idea → sign up with an emailed code → vote →
check → confirmation → change the vote → results once published, where they find their
ballot by its receipt. At 375 and 1280 px, with JavaScript on and off; axe on every page
(with JavaScript on: axe runs in the page)."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from budgets.models import Round
from budgets.services import round_advance
from proposals.models import Proposal
from tests.browser.conftest import PATIENCE_MS, axe_violations
from tests.proposals.factories import EnvelopeFactory, ProposalFactory
from tests.voting.conftest import make_voting_envelope
from tests.voting.results.factories import every_envelope
from voting.models import Ballot
from voting.results.services import envelope_count, round_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def splott(council):
    """Splott with voting open in "Splott Decides" (Benches £10,000, Play area £15,000,
    Trees £20,000; £30,000 to spend) and ideas open in a later round."""
    voting = make_voting_envelope(council)
    later = EnvelopeFactory(
        round__fund__council=council,
        round__name="Splott Decides 2027",
        neighbourhood=voting.neighbourhood,
    )
    ProposalFactory(envelope=later, title="Community fridge", status=Proposal.Status.FEASIBLE)
    return voting


@pytest.fixture(
    params=[(size, js) for size in SIZES for js in (True, False)],
    ids=lambda p: f"{p[0]}-{'js' if p[1] else 'no-js'}",
)
def resident_page(request, browser, live_server):
    size, js = request.param
    context = browser.new_context(
        base_url=live_server.url,
        viewport=SIZES[size],
        java_script_enabled=js,
        is_mobile=size == "phone",
        # axe is injected as a script; the site's CSP would rightly refuse it.
        bypass_csp=js,
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.javascript = js
    yield page
    context.close()


def _page_is_fine(page, heading):
    """The page has this heading, does not scroll sideways and, with JavaScript, passes axe."""
    expect(page.locator("h1")).to_have_text(heading)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    if page.javascript:
        assert axe_violations(page) == [], page.url


def _menu(page):
    """The phone header folds its links behind "Menu" when JavaScript runs."""
    if page.javascript and page.viewport_size["width"] < 641:
        toggle = page.get_by_role("button", name="Menu")
        expect(toggle).to_be_visible()
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
    return page.get_by_role("navigation", name="Menu")


def _account(page):
    """Sign in, Your details and Sign out: never folded into the phone menu."""
    return page.get_by_role("navigation", name="Your account")


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def _code_from_the_email() -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)


def resident_finds_their_neighbourhood(page):
    page.goto("/")
    _page_is_fine(page, "Your neighbourhood's money. Your decision.")
    # Half a postcode is told what is missing, and offered the district's neighbourhoods.
    page.get_by_label("Your postcode").fill("CF24")
    page.get_by_role("button", name="Find my neighbourhood").click()
    alert = page.get_by_role("alert")
    expect(alert.get_by_text("CF24 is only the first half of a postcode.")).to_be_visible()
    assert "Enter a real UK postcode" not in _main_text(page)
    _page_is_fine(page, "Your neighbourhood's money. Your decision.")
    page.get_by_label("Your postcode").fill("cf24 2ab")
    page.get_by_role("button", name="Find my neighbourhood").click()
    _page_is_fine(page, "Splott")
    expect(page.get_by_text("Voting is open until")).to_be_visible()


def resident_reads_the_ideas(page):
    page.get_by_role("link", name="Read the ideas on the ballot").click()
    _page_is_fine(page, "Ideas for Splott")
    page.get_by_role("link", name="Play area").click()
    _page_is_fine(page, "Play area")
    page.get_by_role("link", name="All ideas for Splott").click()


def resident_signs_up(page):
    # On a phone with JavaScript, "Sign in" is in view without opening the menu.
    sign_in = _account(page).get_by_role("link", name="Sign in")
    expect(sign_in).to_be_visible()
    sign_in.click()
    _page_is_fine(page, "Sign in")
    page.get_by_role("link", name="Create an account").click()
    _page_is_fine(page, "Create an account")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert").get_by_text("Enter your email address")).to_be_visible()
    _page_is_fine(page, "Create an account")
    page.get_by_label("Email address").fill("nia@example.test")
    page.get_by_label("Your name").fill("Nia")
    page.get_by_label("Home postcode").fill("CF24 2AB")
    page.get_by_role("button", name="Continue").click()
    _page_is_fine(page, "Check your email")
    assert _main_text(page).count("We have sent") == 1
    page.get_by_label("Code from the email").fill(_code_from_the_email())
    page.get_by_role("button", name="Create my account").click()
    # Signed up, they land on their own neighbourhood, with their details in view and
    # one box saying so (not one for the email and another for signing in).
    _page_is_fine(page, "Splott")
    success = page.locator(".govuk-notification-banner--success")
    expect(success).to_have_count(1)
    expect(success).to_contain_text("nia@example.test is confirmed and you are signed in.")
    expect(_account(page).get_by_role("link", name="Your details")).to_be_visible()


def resident_reads_the_ballot(page):
    _page_is_fine(page, "Vote for Splott")
    text = _main_text(page)
    assert "proposal" not in text.lower()  # one word for residents: ideas
    # The total cannot follow the ticks without JavaScript, and says so.
    without_js = page.get_by_text("It is worked out again when you press Continue.")
    if page.javascript:
        expect(without_js).to_be_hidden()
    else:
        expect(without_js).to_be_visible()
    page.get_by_role("link", name="What you can choose is explained above the ideas.").click()
    rule = page.locator("#ballot-rule")
    assert rule.inner_text().startswith("Choose the ideas you want")
    # It lands in view, not under the running total that stays at the top on a phone.
    assert page.evaluate(
        """() => {
            const box = document.getElementById('ballot-rule').getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + 5, box.top + box.height / 2);
            return box.top >= 0 && box.bottom <= window.innerHeight
                && hit !== null && hit.closest('#ballot-rule') !== null;
        }"""
    )


def resident_goes_over_budget(page):
    meter_requests = []
    page.on("request", lambda r: "/vote/meter/" in r.url and meter_requests.append(r.url))
    for title in ["Benches", "Play area", "Trees"]:
        page.get_by_label(title).check()
    if page.javascript:
        page.locator("#budget-meter").get_by_text("£45,000 of £30,000 chosen").wait_for()
        assert meter_requests
        assert not [url for url in meter_requests if "csrfmiddlewaretoken" in url]
    page.get_by_role("button", name="Continue").click()
    _page_is_fine(page, "Vote for Splott")
    message = "Your choices cost £45,000, which is £15,000 more than the £30,000 available."
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    # The error sits by the list of ideas, too.
    expect(page.locator("#ballot-error").get_by_text(message)).to_be_visible()
    summary.get_by_role("link", name=message).click()
    # The link leads to the first idea's box (GOV.UK's script focuses it; without it, the
    # address jumps to it).
    first_idea = page.get_by_label("Benches")
    if page.javascript:
        assert first_idea.evaluate("e => e === document.activeElement")
    else:
        assert page.url.endswith("#" + first_idea.get_attribute("id"))
    assert Ballot.objects.exists() is False


def resident_votes(page, *, tick, untick=()):
    for title in untick:
        page.get_by_label(title).uncheck()
    for title in tick:
        page.get_by_label(title).check()
    page.get_by_role("button", name="Continue").click()
    _page_is_fine(page, "Check your choices")
    assert "proposal" not in _main_text(page).lower()
    # The check page has its own address, so a reload asks nothing and shows it again.
    assert page.url.endswith("/vote/check/")
    page.reload()
    _page_is_fine(page, "Check your choices")


def resident_sends_the_vote(page):
    page.get_by_role("button", name="Send my vote").click()


def test_a_new_resident_finds_votes_changes_and_checks_their_vote(resident_page, splott):
    page = resident_page
    resident_finds_their_neighbourhood(page)
    resident_reads_the_ideas(page)
    resident_signs_up(page)

    page.get_by_role("button", name="Vote now").click()
    resident_reads_the_ballot(page)
    expect(page.get_by_text("How the votes will be counted")).to_be_visible()
    how_counted = page.locator("h2:has-text('How the votes will be counted') + p")
    counting_sentence = how_counted.inner_text().split(".")[0]
    assert _main_text(page).count(counting_sentence) == 1
    resident_goes_over_budget(page)
    resident_votes(page, tick=["Benches", "Trees"], untick=["Play area"])
    expect(page.get_by_text("£30,000").first).to_be_visible()
    assert Ballot.objects.exists() is False
    resident_sends_the_vote(page)
    _page_is_fine(page, "Vote sent")
    receipt = Ballot.objects.get().receipt
    expect(page.get_by_text(receipt)).to_be_visible()
    expect(page.get_by_text("What happens next")).to_be_visible()
    assert "proposal" not in _main_text(page).lower()
    assert counting_sentence not in _main_text(page)  # said on the ballot; not again here

    # Back on their neighbourhood, it says they have voted, not "Vote now".
    page.get_by_role("link", name="Back to Splott").click()
    _page_is_fine(page, "Splott")
    assert page.get_by_role("button", name="Vote now").count() == 0
    expect(page.get_by_text("You have voted.")).to_be_visible()
    expect(page.get_by_text(receipt)).to_be_visible()
    page.get_by_role("link", name="See your vote and receipt").click()
    _page_is_fine(page, "Your vote is stored")
    page.get_by_role("link", name="Back to Splott").click()
    page.get_by_role("link", name="Change your vote").click()
    _page_is_fine(page, "Vote for Splott")
    resident_votes(page, tick=["Play area"], untick=["Trees"])
    resident_sends_the_vote(page)
    _page_is_fine(page, "Your vote has been changed")
    expect(page.get_by_text(receipt)).to_be_visible()
    assert sorted(Ballot.objects.get().choices.values_list("proposal__title", flat=True)) == [
        "Benches",
        "Play area",
    ]

    # The council closes voting, counts and publishes (the officers' own journey).
    round_advance(round_id=splott.round_id, to_phase=Round.Phase.VOTING_CLOSED)
    envelope_count(envelope_id=splott.pk)
    round_publish(round_id=splott.round_id, few_ballots_accepted=every_envelope(splott.round_id))

    _menu(page).get_by_role("link", name="Your neighbourhood").click()
    _page_is_fine(page, "Splott")
    expect(page.get_by_text(receipt)).to_be_visible()
    # The receipt now says voting has closed, and where to check the ballot was counted.
    page.get_by_role("link", name="See your vote and receipt").click()
    _page_is_fine(page, "Your vote is stored")
    expect(page.get_by_text("Voting has closed and the results are published.")).to_be_visible()
    expect(page.get_by_text("Voting closes at")).to_have_count(0)
    expect(page.get_by_role("link", name="See the results for Splott")).to_be_visible()
    page.get_by_role("link", name="Back to Splott").click()
    _page_is_fine(page, "Splott")
    page.get_by_role("link", name="See what was funded").click()
    _page_is_fine(page, "Results for Splott")
    assert " chose " not in _main_text(page)
    expect(page.get_by_text(re.compile(r"\d ideas? (was|were) funded in Splott"))).to_be_visible()
    expect(page.get_by_text("1 ballot was counted.")).to_be_visible()  # not "1 ballots"
    # The commands scroll in their own box, never the page (checked by _page_is_fine).
    commands = page.get_by_role("region", name="Command to count the ballots again")
    assert commands.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the ballots as a spreadsheet").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert {"receipt": receipt, "proposals": "Benches; Play area"}.items() <= next(
        row for row in rows if row["receipt"] == receipt
    ).items()
    page.get_by_role("link", name="Read the counting program's source code").click()
    _page_is_fine(page, "The counting program")
    page.get_by_role("link", name="README.md").click()
    _page_is_fine(page, "How the votes are counted")


def test_a_form_left_open_when_someone_else_signs_in_says_why_it_was_not_sent(
    resident_page, splott
):
    # Found by a trial on a shared device: the refusal blamed time and cookies.
    page = resident_page
    resident_finds_their_neighbourhood(page)
    resident_signs_up(page)
    page.get_by_role("button", name="Vote now").click()
    resident_votes(page, tick=["Benches"])
    # In another tab on the same device, Nia signs out and Bob makes an account.
    other = page.context.new_page()
    other.javascript = page.javascript
    resident_finds_their_neighbourhood(other)
    _account(other).get_by_role("link", name="Sign out").click()
    _page_is_fine(other, "Sign out")
    other.get_by_role("button", name="Sign out").click()
    _account(other).get_by_role("link", name="Sign in").click()
    other.get_by_role("link", name="Create an account").click()
    other.get_by_label("Email address").fill("bob@example.test")
    other.get_by_label("Your name").fill("Bob")
    other.get_by_label("Home postcode").fill("CF24 2AB")
    other.get_by_role("button", name="Continue").click()
    other.get_by_label("Code from the email").fill(_code_from_the_email())
    other.get_by_role("button", name="Create my account").click()
    _page_is_fine(other, "Splott")
    # Nia's check page, still open, is sent: nothing is stored, and the page says why.
    resident_sends_the_vote(page)
    _page_is_fine(page, "Your form could not be sent")
    expect(page.get_by_text("it stops working if someone signs in or out")).to_be_visible()
    expect(page.get_by_text("check whose name is at the top of the page")).to_be_visible()
    assert Ballot.objects.exists() is False


def test_a_resident_sent_to_sign_in_by_vote_now_is_told_it_is_to_vote(resident_page, splott):
    page = resident_page
    resident_finds_their_neighbourhood(page)
    page.get_by_role("button", name="Vote now").click()
    _page_is_fine(page, "Sign in to vote for Splott")
    expect(page.get_by_text("Splott Decides", exact=True)).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    _page_is_fine(page, "Create an account")
    expect(page.get_by_text("you go straight to the ballot to vote for Splott")).to_be_visible()
