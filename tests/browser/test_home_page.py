import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.neighbourhoods.factories import PostcodeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_passes_axe(page):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Your neighbourhood's money. Your decision.")
    assert axe_violations(page) == []


def test_the_home_page_passes_axe_at_phone_width(phone_page):
    phone_page.goto("/")
    assert axe_violations(phone_page) == []
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320


def test_a_postcode_error_passes_axe(page):
    page.goto("/")
    page.get_by_label("Your postcode").fill("banana")
    page.get_by_role("button", name="Find my neighbourhood").click()
    expect(page.get_by_role("alert").get_by_text("Enter a real UK postcode")).to_be_visible()
    assert axe_violations(page) == []


def test_finding_a_neighbourhood_works_without_javascript(page_without_js):
    PostcodeFactory(postcode="CF24 2AB", neighbourhood__name="Splott")
    page_without_js.goto("/")
    page_without_js.get_by_label("Your postcode").fill("cf24 2ab")
    page_without_js.get_by_role("button", name="Find my neighbourhood").click()
    expect(page_without_js.locator("h1")).to_have_text("Splott")


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"


@pytest.mark.parametrize(
    "path", ["/accessibility/", "/privacy/", "/accounts/login/code/", "/accounts/signup/", "/cy/"]
)
def test_other_foundation_pages_pass_axe(page, path):
    response = page.goto(path)
    assert response.status == 200
    assert axe_violations(page) == []
