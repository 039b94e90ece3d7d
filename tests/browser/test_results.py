import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_violations
from tests.voting.results.factories import (
    ClosedEnvelopeFactory,
    OnBallotProposalFactory,
    cast,
    every_envelope,
)
from voting.models import Channel
from voting.results.services import envelope_count, round_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published():
    envelope = ClosedEnvelopeFactory(
        round__name="Splott Decides", round__counting_rule="equalshares/add1-greedy"
    )
    benches = OnBallotProposalFactory(envelope=envelope, title="Park benches", cost_pence=4_000_00)
    youth = OnBallotProposalFactory(envelope=envelope, title="Youth club", cost_pence=5_000_00)
    art = OnBallotProposalFactory(envelope=envelope, title="Street art", cost_pence=3_000_00)
    cast(envelope, benches, youth)
    cast(envelope, benches, channel=Channel.PAPER)
    cast(envelope, art, channel=Channel.POLLING_STATION)
    envelope_count(envelope_id=envelope.pk)
    round_publish(
        round_id=envelope.round_id, few_ballots_accepted=every_envelope(envelope.round_id)
    )
    return envelope


def test_the_envelope_results_page_has_no_axe_violations(page, published):
    page.goto(f"/envelopes/{published.pk}/results/")

    expect(page.locator("h1")).to_have_text(f"Results for {published.neighbourhood.name}")
    assert axe_violations(page) == []


def test_the_round_results_page_has_no_axe_violations(page, published):
    page.goto(f"/rounds/{published.round_id}/results/")

    expect(page.get_by_role("link", name=published.neighbourhood.name)).to_be_visible()
    assert axe_violations(page) == []


def test_the_chart_is_a_table_screen_readers_can_read(page, published):
    page.goto(f"/envelopes/{published.pk}/results/")

    table = page.get_by_role("table", name="Votes and cost of each idea")
    expect(table.get_by_role("rowheader", name="Park benches")).to_be_visible()
    bars = page.locator(".nd-bar")
    assert bars.count() == 6
    assert all(bars.nth(i).get_attribute("aria-hidden") == "true" for i in range(6))
    # The bars are drawn by the stylesheet: the most votes fill the column.
    widths = [bars.nth(i).bounding_box()["width"] for i in range(0, 6, 2)]
    assert max(widths) > 0


def test_the_results_work_without_javascript(page_without_js, published):
    page = page_without_js
    page.goto(f"/envelopes/{published.pk}/results/")

    expect(page.get_by_role("heading", name="How the votes were counted")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Download the ballots for counting software (.pb file)"
        ).click()
    assert download.value.suggested_filename.endswith("-ballots.pb")


def test_the_results_fit_a_phone(phone_page, published):
    phone_page.goto(f"/envelopes/{published.pk}/results/")

    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone_page) == []
