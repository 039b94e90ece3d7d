"""Someone checking a count who does not live in the neighbourhood (a journalist, a
councillor, a researcher) finds it from the home page by clicking only what they see:
home → published results → the vote → the neighbourhood's result, with its ballots to
download; and back to the list from the footer, and from the breadcrumbs of a vote's
results and of the counting program's page, in English and in Welsh. At 375 and 1280 px,
with and without JavaScript, axe on every page."""

import pytest
from playwright.sync_api import expect

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
