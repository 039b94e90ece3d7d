"""Pages behind sign-in that the journeys do not reach: details, deletion, voter code."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.voting.conftest import make_voting_envelope
from voting.services import voter_codes_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_your_details_with_a_bad_postcode_passes_axe(page, live_server, client, resident):
    _signed_in(page, live_server, client, resident)
    page.goto("/accounts/profile/")
    page.get_by_label("Home postcode").fill("banana")
    page.get_by_role("button", name="Save my details").click()
    page.get_by_role("alert").get_by_text("Enter a real UK postcode").wait_for()
    assert axe_violations(page) == []


def test_deleting_an_account_without_ticking_the_box_passes_axe(
    page, live_server, client, resident
):
    _signed_in(page, live_server, client, resident)
    page.goto("/accounts/delete/")
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("alert").get_by_text("Tick the box to confirm").wait_for()
    assert axe_violations(page) == []


def test_the_voter_code_page_works_without_javascript(
    page_without_js, live_server, client, council, resident
):
    envelope = make_voting_envelope(council, requires_voter_code=True)
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=None).codes.get()
    _signed_in(page_without_js, live_server, client, resident)
    page_without_js.goto(f"/envelopes/{envelope.pk}/vote/")
    page_without_js.get_by_label("Voter code").fill(code.code)
    page_without_js.get_by_role("button", name="Continue").click()
    expect(page_without_js.locator("h1")).to_have_text("Vote for Splott")


def test_a_wrong_voter_code_passes_axe(page, live_server, client, council, resident):
    envelope = make_voting_envelope(council, requires_voter_code=True)
    _signed_in(page, live_server, client, resident)
    page.goto(f"/envelopes/{envelope.pk}/vote/code/")
    page.get_by_label("Voter code").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("alert").get_by_text("not right for this neighbourhood").wait_for()
    assert axe_violations(page) == []
