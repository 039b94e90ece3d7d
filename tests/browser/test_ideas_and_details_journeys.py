"""Two small journeys a new resident trips on, by clicking only what they see from the home
page, at 375 and 1280 px with axe on every page:

- the ideas of a round whose ballot is open offer "Vote now" (and, once they have voted,
  their receipt and "Change your vote");
- a home postcode in no neighbourhood is saved with a plain warning and what to do.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PATIENCE_MS
from tests.browser.test_resident_votes import (
    SIZES,
    _account,
    _page_is_fine,
    resident_finds_their_neighbourhood,
    resident_sends_the_vote,
    resident_signs_up,
    resident_votes,
)
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def splott(council):
    return make_voting_envelope(council)


@pytest.fixture(params=list(SIZES))
def resident_page(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=SIZES[request.param],
        is_mobile=request.param == "phone",
        bypass_csp=True,  # axe is injected as a script
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.javascript = True
    yield page
    context.close()


def _to_the_ideas(page):
    page.get_by_role("link", name="Read the ideas on the ballot").click()
    _page_is_fine(page, "Ideas for Splott")


def test_the_ideas_on_an_open_ballot_lead_to_the_vote(resident_page, splott):
    page = resident_page
    resident_finds_their_neighbourhood(page)
    resident_signs_up(page)
    _to_the_ideas(page)
    expect(page.get_by_text("Voting is open until")).to_be_visible()
    # An idea on the ballot offers it too.
    page.get_by_role("link", name="Trees").click()
    _page_is_fine(page, "Trees")
    expect(page.get_by_role("button", name="Vote now")).to_be_visible()
    page.get_by_role("link", name="All ideas for Splott").click()
    page.get_by_role("button", name="Vote now").click()
    _page_is_fine(page, "Vote for Splott")
    resident_votes(page, tick=["Benches"])
    resident_sends_the_vote(page)
    _page_is_fine(page, "Vote sent")
    receipt = Ballot.objects.get().receipt

    page.get_by_role("link", name="Back to Splott").click()
    _to_the_ideas(page)
    assert page.get_by_role("button", name="Vote now").count() == 0
    expect(page.get_by_text("You have voted.")).to_be_visible()
    expect(page.get_by_text(receipt)).to_be_visible()
    # The same vote status as the round card on the neighbourhood page.
    page.get_by_role("link", name="Change your vote").click()
    _page_is_fine(page, "Vote for Splott")


def test_a_postcode_in_no_neighbourhood_is_saved_with_a_warning(resident_page, splott):
    page = resident_page
    resident_finds_their_neighbourhood(page)
    resident_signs_up(page)
    _account(page).get_by_role("link", name="Your details").click()
    _page_is_fine(page, "Your details")
    assert page.locator("#postcode-nowhere").count() == 0

    page.get_by_label("Home postcode").fill("SW1A 1AA")
    page.get_by_role("button", name="Save my details").click()

    _page_is_fine(page, "Your details")
    expect(page.get_by_text("Your details are saved.")).to_be_visible()
    warning = page.locator("#postcode-nowhere")
    assert warning.inner_text().endswith(
        "Your home postcode, SW1A 1AA, is not in any neighbourhood taking part, so you cannot "
        "suggest ideas or vote."
    )
    expect(page.get_by_text("If it is not, change it below and save your details.")).to_be_visible()

    page.get_by_label("Home postcode").fill("CF24 2AB")
    page.get_by_role("button", name="Save my details").click()
    _page_is_fine(page, "Your details")
    assert page.locator("#postcode-nowhere").count() == 0
    expect(page.get_by_text("Your home postcode, CF24 2AB, is in")).to_be_visible()
