import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.budgets.factories import EnvelopeFactory
from tests.neighbourhoods.factories import PostcodeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def splott():
    envelope = EnvelopeFactory(
        amount_pence=130_000_00,
        neighbourhood__name="Splott",
        round__name="Neighbourhood Decides 2026/27",
    )
    PostcodeFactory(neighbourhood=envelope.neighbourhood, postcode="CF24 2AB")
    return envelope


def test_a_resident_finds_their_neighbourhood_and_its_money_at_phone_size(phone_page, splott):
    page = phone_page
    page.goto("/")
    page.get_by_label("Your postcode").fill("cf24 2ab")
    page.get_by_role("button", name="Find my neighbourhood").click()

    expect(page.locator("h1")).to_have_text("Splott")
    expect(page.get_by_text("£130,000").first).to_be_visible()
    expect(page.get_by_role("button", name="Suggest an idea")).to_be_visible()
    page.get_by_text("Dates of this round").click()
    assert page.locator('[aria-current="step"]').inner_text().startswith("Taking ideas")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.get_by_role("link", name="Every neighbourhood's share").click()
    expect(page.locator("h1")).to_have_text("Neighbourhood Decides 2026/27")
    expect(page.get_by_role("row", name="Splott")).to_be_visible()
    assert axe_violations(page) == []


def test_an_unknown_postcode_is_explained(page, splott):
    page.goto("/")
    page.get_by_label("Your postcode").fill("SW1A 1AA")
    page.get_by_role("button", name="Find my neighbourhood").click()
    expect(
        page.get_by_role("alert").get_by_text("SW1A 1AA is not in a neighbourhood")
    ).to_be_visible()
    assert axe_violations(page) == []


def test_the_journey_works_without_javascript(page_without_js, splott):
    page = page_without_js
    page.goto("/")
    page.get_by_label("Your postcode").fill("CF24 2AB")
    page.get_by_role("button", name="Find my neighbourhood").click()
    expect(page.locator("h1")).to_have_text("Splott")
    page.get_by_text("Dates of this round").click()
    page.get_by_role("link", name="Every neighbourhood's share").click()
    expect(page.get_by_role("row", name="Splott")).to_be_visible()
