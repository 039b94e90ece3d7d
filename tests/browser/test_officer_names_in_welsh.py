"""An officer gives a neighbourhood its Welsh name in the admin, starting at /admin/; a
resident reading the Welsh pages then meets that name, and the council's name, which
nobody has put into Welsh yet, marked as English for screen readers."""

import pytest

from neighbourhoods.models import Neighbourhood
from tests.browser.conftest import PATIENCE_MS, axe_violations
from tests.browser.test_officer_runs_a_round import (  # noqa: F401 (fixture)
    checked,
    expect_message,
    officer_signs_in_with_two_factor,
    officer_with_app,
)
from tests.neighbourhoods.factories import NeighbourhoodFactory, PostcodeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def splott(council):
    splott = NeighbourhoodFactory(council=council, name="Splott", slug="splott")
    PostcodeFactory(neighbourhood=splott, postcode="CF24 2AB")
    return splott


def officer_gives_splott_its_welsh_name(page):
    page.get_by_role("row").get_by_role("link", name="Neighbourhoods", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Splott", exact=True).click()
    checked(page)
    page.get_by_label("Name in Welsh:").fill("Sblot")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "was changed successfully")
    checked(page)


def resident_finds_their_neighbourhood_in_welsh(page):
    page.goto("/")
    page.get_by_role("link", name="Cymraeg").click()
    page.get_by_label("Eich cod post").fill("CF24 2AB")
    page.get_by_role("button", name="Dod o hyd i fy nghymdogaeth").click()
    page.get_by_role("heading", level=1, name="Sblot").wait_for()


@pytest.mark.usefixtures("officer_with_app")
@pytest.mark.parametrize("width", [375, 1280])
def test_an_officers_welsh_name_reaches_residents(
    browser, live_server, page_with_csp, splott, width
):
    officer_signs_in_with_two_factor(page_with_csp)
    officer_gives_splott_its_welsh_name(page_with_csp)
    assert Neighbourhood.objects.get(pk=splott.pk).name_cy == "Sblot"

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, bypass_csp=True
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    resident_finds_their_neighbourhood_in_welsh(page)
    assert page.locator("html").get_attribute("lang") == "cy"
    council = page.locator('.govuk-caption-l span[lang="en-gb"]')
    assert council.inner_text() == "Riverton Council"
    assert page.get_by_text("Splott").count() == 0
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
