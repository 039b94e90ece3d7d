"""A resident's whole journey: postcode, sign in by emailed code, vote, receipt, change."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from budgets.models import Round
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PATIENCE_MS, axe_violations
from tests.proposals.factories import ProposalFactory
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def envelope(council):
    return make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)


@pytest.fixture
def voter(db):
    user = UserFactory(email="nia@example.test", display_name="Nia", home_postcode="CF24 2AB")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _sign_in_by_code(page, email):
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    code = re.search(
        r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE
    ).group(1)
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Sign in").click()


def _find_and_open_ballot(page):
    page.goto("/")
    page.get_by_label("Your postcode").fill("CF24 2AB")
    page.get_by_role("button", name="Find my neighbourhood").click()
    page.get_by_role("button", name="Vote now").click()


def test_a_resident_votes_and_changes_their_vote_on_a_phone(phone_page, envelope, voter):
    page = phone_page
    _find_and_open_ballot(page)
    _sign_in_by_code(page, voter.email)

    expect(page.locator("h1")).to_have_text("Vote for Splott")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.get_by_label("Benches").check()
    page.get_by_label("Play area").check()
    meter = page.locator("#budget-meter")
    meter.get_by_text("£25,000 of £30,000 chosen").wait_for()
    page.get_by_label("Trees").check()
    meter.get_by_text("£15,000 over the budget").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Trees").uncheck()

    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your choices")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send my vote").click()
    expect(page.locator("h1")).to_have_text("Vote sent")
    receipt = Ballot.objects.get().receipt
    expect(page.get_by_text(receipt)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Change your vote").click()
    page.get_by_label("Play area").uncheck()
    page.get_by_label("Trees").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send my vote").click()
    expect(page.locator("h1")).to_have_text("Your vote has been changed")
    expect(page.get_by_text(receipt)).to_be_visible()
    assert sorted(Ballot.objects.get().choices.values_list("proposal__title", flat=True)) == [
        "Benches",
        "Trees",
    ]


def test_an_over_budget_vote_is_refused_and_explained(page, envelope, voter):
    _find_and_open_ballot(page)
    _sign_in_by_code(page, voter.email)
    for title in ["Benches", "Play area", "Trees"]:
        page.get_by_label(title).check()
    page.get_by_role("button", name="Continue").click()
    alert = page.get_by_role("alert")
    expect(alert.get_by_text("Untick ideas costing at least £15,000.")).to_be_visible()
    assert axe_violations(page) == []
    assert Ballot.objects.exists() is False


def test_the_whole_journey_works_without_javascript(page_without_js, envelope, voter):
    page = page_without_js
    _find_and_open_ballot(page)
    _sign_in_by_code(page, voter.email)

    page.get_by_label("Benches").check()
    page.get_by_label("Trees").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("£30,000 of £30,000 to spend")).to_be_visible()
    assert Ballot.objects.exists() is False

    page.get_by_role("link", name="Change your choices").click()
    expect(page.get_by_label("Trees")).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send my vote").click()
    expect(page.locator("h1")).to_have_text("Vote sent")
    page.get_by_role("link", name="Change your vote").click()
    page.get_by_label("Trees").uncheck()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send my vote").click()
    expect(page.locator("h1")).to_have_text("Your vote has been changed")
    assert list(Ballot.objects.get().choices.values_list("proposal__title", flat=True)) == [
        "Benches"
    ]


def test_a_resident_of_elsewhere_is_told_why_they_cannot_vote(page, envelope):
    outsider = UserFactory(email="far@example.test", home_postcode="SW1A 1AA")
    EmailAddress.objects.create(user=outsider, email=outsider.email, verified=True, primary=True)
    _find_and_open_ballot(page)
    _sign_in_by_code(page, outsider.email)
    expect(page.get_by_text("is not in Splott, so you cannot vote here")).to_be_visible()
    assert axe_violations(page) == []


def test_the_live_budget_meter_works_under_the_sites_content_security_policy(
    page_with_csp, envelope, voter
):
    page = page_with_csp
    _find_and_open_ballot(page)
    _sign_in_by_code(page, voter.email)
    page.get_by_label("Trees").check()
    page.locator("#budget-meter").get_by_text("£20,000 of £30,000 chosen").wait_for()
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')") is True
    assert page.console_errors == []


def _focused_box_and_running_total(page):
    return page.evaluate(
        """() => {
            const box = (el) => { const r = el.getBoundingClientRect();
                                  return {top: r.top, bottom: r.bottom}; };
            return {focused: box(document.activeElement),
                    total: box(document.querySelector('.nd-ballot__summary')),
                    inOptions: !!document.activeElement.closest('.nd-ballot__main'),
                    name: document.activeElement.textContent.trim().slice(0, 40)};
        }"""
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_tabbing_never_hides_a_link_under_the_running_total_on_a_phone(
    browser, live_server, envelope, voter, javascript
):
    """WCAG 2.4.11: on a 375 px phone the running total sticks to the top of the screen;
    whatever a keyboard user tabs to, forwards or back, stays clear of it."""
    for n in range(8):
        ProposalFactory(
            envelope=envelope, title=f"Idea {n}", cost_pence=1_000_00, status="on_ballot"
        )
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 667},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    _find_and_open_ballot(page)
    _sign_in_by_code(page, voter.email)
    expect(page.locator("h1")).to_have_text("Vote for Splott")
    page.get_by_label("Benches").focus()
    seen = []
    for key in ["Tab"] * 30 + ["Shift+Tab"] * 30:
        page.keyboard.press(key)
        boxes = _focused_box_and_running_total(page)
        if not boxes["inOptions"]:
            continue
        seen.append(boxes["name"])
        hidden_under = boxes["focused"]["top"] < boxes["total"]["bottom"] and (
            boxes["focused"]["bottom"] > boxes["total"]["top"]
        )
        assert not hidden_under, (key, boxes)
    assert any(name.startswith("Read more") for name in seen)
    context.close()
