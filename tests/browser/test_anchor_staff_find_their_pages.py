"""Trial 16/17, stumble 1: anchor staff signing in on their own device, from the site's
home page, find their polling stations and paper ballots without typing an address.
They land on their stations after signing in (two-factor first), and the header links
to both pages from every page, on a phone and on a desk computer."""

import pytest
from playwright.sync_api import expect

from budgets.models import Round
from tests.browser.conftest import PATIENCE_MS, axe_violations
from tests.browser.test_polling_station import _staff, sign_in_with_two_factor
from tests.stations.factories import PollingStationFactory
from tests.voting.conftest import make_voting_envelope

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def aled(envelope):
    aled = _staff("aled@anchor.test", "Aled")
    station = PollingStationFactory(
        round=envelope.round,
        place="Splott Community Centre",
        neighbourhoods=[envelope.neighbourhood],
    )
    station.anchor.staff.add(aled)
    return aled


@pytest.fixture
def envelope(council):
    return make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)


def _checked(page, heading, width):
    page.locator("h1").filter(has_text=heading).wait_for()
    page.wait_for_load_state()
    assert axe_violations(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [375, 1280])
def test_anchor_staff_sign_in_from_the_home_page_and_reach_stations_and_paper(
    browser, live_server, aled, width
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    try:
        page.goto("/")
        account = page.get_by_role("navigation", name="Your account")
        assert account.get_by_role("link", name="Polling stations").count() == 0
        account.get_by_role("link", name="Sign in").click()
        sign_in_with_two_factor(page, aled.email)
        # Straight to the stations they can open, not the residents' home page.
        _checked(page, "Open a polling station", width)
        expect(page.get_by_text("Splott Community Centre").first).to_be_visible()

        # From any page (here the home page), the header takes them to either.
        page.get_by_role("link", name="Neighbourhood Democracy").click()
        page.wait_for_load_state()
        account = page.get_by_role("navigation", name="Your account")
        account.get_by_role("link", name="Paper ballots").click()
        _checked(page, "Paper ballots", width)
        page.get_by_role("navigation", name="Your account").get_by_role(
            "link", name="Polling stations"
        ).click()
        _checked(page, "Open a polling station", width)
    finally:
        context.close()


def test_residents_see_no_staff_links(client, resident):
    client.force_login(resident)
    page = client.get("/").content.decode()
    assert "Your details" in page
    assert "Polling stations" not in page
    assert "Paper ballots" not in page
