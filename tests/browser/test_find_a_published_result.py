"""Someone checking a count who does not live in the neighbourhood (a journalist, a
councillor, a researcher) finds it from the home page by clicking only what they see:
home → published results → the vote → the neighbourhood's result, with its ballots to
download, and the counting program's README as a page; and back to the list from the
footer, and from the breadcrumbs of a vote's results and of the counting program's pages,
in English and in Welsh. At 375 and 1280 px (and 320 px for the README), with and without
JavaScript, axe on every page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_check_the_count import counted  # noqa: F401 - a fixture
from tests.browser.test_resident_votes import _page_is_fine, resident_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_checker_from_elsewhere_reaches_a_count_without_a_postcode(
    resident_page,  # noqa: F811
    counted,  # noqa: F811
    council,
):
    page = resident_page

    page.goto("/")
    _page_is_fine(page, "Your neighbourhood's money. Your decision.")
    page.get_by_role("link", name="See every published result and check a count yourself").click()
    _page_is_fine(page, "Published results")
    row = page.get_by_role("row", name="Splott Decides")
    expect(row).to_contain_text(council.name)
    expect(row.get_by_role("cell").last).to_have_text("6")  # ballots counted
    row.get_by_role("link", name="Splott Decides").click()
    _page_is_fine(page, "Results: Splott Decides")
    page.get_by_role("link", name="Splott").click()
    _page_is_fine(page, "Results for Splott")
    expect(page.get_by_role("link", name="Download the ballots (.pb file)")).to_be_visible()

    page.get_by_role("contentinfo").get_by_role("link", name="Published results").click()
    _page_is_fine(page, "Published results")


def breadcrumbs(page, name="Breadcrumb"):
    return page.get_by_role("navigation", name=name)


def test_a_checker_goes_back_to_every_result_by_the_breadcrumbs(
    resident_page,  # noqa: F811
    counted,  # noqa: F811
):
    # Before, only the footer led back to the list from these pages (found by a trial).
    page = resident_page
    page.goto("/")
    page.get_by_role("link", name="See every published result and check a count yourself").click()
    page.get_by_role("link", name="Splott Decides").click()
    _page_is_fine(page, "Results: Splott Decides")
    breadcrumbs(page).get_by_role("link", name="Published results").click()
    _page_is_fine(page, "Published results")

    page.get_by_role("link", name="Splott Decides").click()
    page.get_by_role("link", name="Splott", exact=True).click()
    _page_is_fine(page, "Results for Splott")
    breadcrumbs(page).get_by_role("link", name="Splott Decides").click()
    _page_is_fine(page, "Results: Splott Decides")
    page.get_by_role("link", name="Splott", exact=True).click()
    page.get_by_role("link", name="Read the counting program's source code").click()
    _page_is_fine(page, "The counting program")
    breadcrumbs(page).get_by_role("link", name="Published results").click()
    _page_is_fine(page, "Published results")

    # The same in Welsh.
    page.get_by_role("link", name="Cymraeg").click()
    _page_is_fine(page, "Canlyniadau a gyhoeddwyd")
    page.get_by_role("link", name="Splott Decides").click()
    _page_is_fine(page, "Canlyniadau: Splott Decides")
    breadcrumbs(page, "Briwsion bara").get_by_role("link", name="Canlyniadau a gyhoeddwyd").click()
    _page_is_fine(page, "Canlyniadau a gyhoeddwyd")
    page.get_by_role("link", name="Splott Decides").click()
    page.get_by_role("link", name="Splott", exact=True).click()
    page.get_by_role("link", name="Darllen cod ffynhonnell y rhaglen gyfrif").click()
    _page_is_fine(page, "Y rhaglen gyfrif")
    breadcrumbs(page, "Briwsion bara").get_by_role("link", name="Canlyniadau a gyhoeddwyd").click()
    _page_is_fine(page, "Canlyniadau a gyhoeddwyd")


def fits_a_320_px_phone(page):
    """Nothing scrolls sideways on the narrowest phone (WCAG 1.4.10), whatever the size
    the journey is walked at."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.set_viewport_size(size)


def test_a_checker_reads_how_the_votes_are_counted(
    resident_page,  # noqa: F811
    counted,  # noqa: F811
):
    # The README was raw Markdown, with no title and no way back (found by a trial).
    page = resident_page
    page.goto("/")
    page.get_by_role("link", name="See every published result and check a count yourself").click()
    page.get_by_role("link", name="Splott Decides").click()
    page.get_by_role("link", name="Splott", exact=True).click()
    _page_is_fine(page, "Results for Splott")
    page.get_by_role("link", name="Read the counting program's source code").click()
    _page_is_fine(page, "The counting program")
    page.get_by_role("link", name="README.md").click()
    _page_is_fine(page, "How the votes are counted")
    fits_a_320_px_phone(page)
    expect(page.get_by_role("heading", name="The rules, in plain English")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="what it does")).to_be_visible()
    expect(table.get_by_role("cell", name="engine.py")).to_be_visible()

    # The file exactly as it is, for anyone who wants its bytes.
    page.get_by_role("link", name="README.md as plain text, exactly as in the program").click()
    expect(page.locator("body")).to_contain_text("# How the votes are counted")
    page.go_back()
    _page_is_fine(page, "How the votes are counted")

    # The same in Welsh: the README is in English, and the page says so in Welsh.
    page.get_by_role("link", name="Cymraeg").click()
    _page_is_fine(page, "How the votes are counted")
    expect(page.locator("h1")).to_have_attribute("lang", "en-gb")
    expect(page.get_by_text("Mae'r dudalen hon yn Saesneg yn unig")).to_be_visible()
    fits_a_320_px_phone(page)
    breadcrumbs(page, "Briwsion bara").get_by_role("link", name="Y rhaglen gyfrif").click()
    _page_is_fine(page, "Y rhaglen gyfrif")
    page.get_by_role("link", name="README.md").click()
    _page_is_fine(page, "How the votes are counted")
    breadcrumbs(page, "Briwsion bara").get_by_role("link", name="Canlyniadau a gyhoeddwyd").click()
    _page_is_fine(page, "Canlyniadau a gyhoeddwyd")
