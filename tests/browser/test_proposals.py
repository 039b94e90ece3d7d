import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from proposals.models import Proposal
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PHONE, axe_violations
from tests.neighbourhoods.factories import NeighbourhoodFactory, PostcodeFactory
from tests.proposals.factories import EnvelopeFactory, PublicProposalFactory, RoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def envelope():
    neighbourhood = NeighbourhoodFactory(name="Splott", slug="splott")
    PostcodeFactory(neighbourhood=neighbourhood, postcode="CF24 2AB")
    round_ = RoundFactory(fund__council=neighbourhood.council, name="Splott Decides")
    return EnvelopeFactory(round=round_, neighbourhood=neighbourhood, amount_pence=90_000_00)


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_resident_suggests_an_idea_on_a_phone(phone_page, live_server, envelope):
    page = phone_page
    resident = UserFactory(display_name="Rhian", home_postcode="CF24 2AB")
    _sign_in(page, live_server, resident)

    page.goto(f"/envelopes/{envelope.pk}/proposals/")
    page.get_by_role("button", name="Suggest an idea").click()
    expect(page.locator("h1")).to_have_text("Suggest an idea")
    assert axe_violations(page) == []
    assert _fits_the_phone(page)

    page.get_by_label("Title").fill("Benches by the river")
    page.get_by_label("Summary in one line").fill("Somewhere to sit on the walk into town.")
    page.get_by_label("Describe your idea").fill("Six benches along the river path.")
    page.get_by_label("Roughly how much would it cost, in pounds?").fill("200,000")
    page.get_by_label("Which kind of idea is it?").select_option("older_people")
    page.get_by_role("button", name="Save and check your idea").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The cost cannot be more than Splott's whole share, £90,000."
    )
    assert axe_violations(page) == []

    page.get_by_label("Roughly how much would it cost, in pounds?").fill("9,000")
    page.get_by_role("button", name="Save and check your idea").click()
    expect(page.locator("h1")).to_have_text("Benches by the river")
    expect(page.get_by_text("Only you can see this.")).to_be_visible()
    assert axe_violations(page) == []
    assert _fits_the_phone(page)

    page.get_by_role("button", name="Submit my idea").click()
    expect(page.get_by_text("Your idea is submitted.")).to_be_visible()
    assert Proposal.objects.get().status == Proposal.Status.SUBMITTED
    assert axe_violations(page) == []


def test_a_resident_from_elsewhere_is_told_why_they_cannot(phone_page, live_server, envelope):
    _sign_in(phone_page, live_server, UserFactory(home_postcode="SW1A 1AA"))
    phone_page.goto(f"/envelopes/{envelope.pk}/proposals/new/")
    assert "Only people who live in Splott" in phone_page.locator("main").inner_text()
    assert axe_violations(phone_page) == []


def _some_ideas(envelope):
    for number in range(25):
        PublicProposalFactory(
            envelope=envelope,
            title=f"Park idea {number}" if number % 5 == 0 else f"Street idea {number}",
            category="green_spaces" if number % 5 == 0 else "streets_safety",
        )


def test_browsing_filters_in_place_with_htmx(page, envelope):
    _some_ideas(envelope)
    page.goto(f"/envelopes/{envelope.pk}/proposals/")
    expect(page.get_by_text("25 ideas")).to_be_visible()
    assert axe_violations(page) == []
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Kind of idea").select_option("green_spaces")
    page.get_by_text("5 ideas match what you chose.").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert "category=green_spaces" in page.url
    assert axe_violations(page) == []


def test_browsing_pages_through_the_list_in_place(page, envelope):
    _some_ideas(envelope)
    page.goto(f"/envelopes/{envelope.pk}/proposals/?sort=newest")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Page 2").click()
    page.wait_for_url("**page=2**")
    page.get_by_role("link", name="Page 1").wait_for()
    assert page.locator(".govuk-summary-card").count() == 5
    assert page.evaluate("window.notReloaded") is True


def test_browsing_works_without_javascript(page_without_js, envelope):
    _some_ideas(envelope)
    page = page_without_js
    page.goto(f"/envelopes/{envelope.pk}/proposals/")
    page.get_by_label("Search ideas").fill("park")
    page.get_by_role("button", name="Show ideas").click()
    expect(page.get_by_text("5 ideas match what you chose.")).to_be_visible()
    assert "q=park" in page.url
