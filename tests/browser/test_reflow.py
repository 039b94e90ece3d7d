"""Every resident-facing page reflows at 320 px (WCAG 1.4.10): nothing scrolls sideways.

This is a layout check, so it opens each page by its address; the journeys click through.
"""

import uuid

import pytest

from proposals.models import Proposal
from tests.browser.conftest import PATIENCE_MS, PHONE
from tests.browser.test_check_the_count import (  # noqa: F401 - a fixture
    TOO_LONG_FOR_A_PHONE,
    riverside_and_pentwyn,
    words_broken_at_a_hyphen,
    words_on_one_line,
    words_split_though_they_fit,
)
from tests.proposals.factories import EnvelopeFactory, ProposalFactory
from tests.voting.conftest import make_voting_envelope
from tests.voting.results.factories import (
    ClosedEnvelopeFactory,
    OnBallotProposalFactory,
    cast,
    every_envelope,
)
from voting.results.services import envelope_count, round_publish
from voting.services import ballot_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Resurface the riverside path from Ocean Park to the Community Garden"


@pytest.fixture
def every_kind_of_page(council, resident):
    """A voting round with a cast ballot, a round taking ideas, and published results."""
    voting = make_voting_envelope(council)
    ballot_cast(
        user=resident,
        envelope_id=voting.pk,
        choices={voting.proposals.get(title="Benches").pk: 1},
        idempotency_key=uuid.uuid4(),
    )
    ideas = EnvelopeFactory(round__fund__council=council, neighbourhood=voting.neighbourhood)
    idea = ProposalFactory(
        envelope=ideas, title=LONG_TITLE, author=resident, status=Proposal.Status.FEASIBLE
    )
    draft = ProposalFactory(
        envelope=ideas, author=resident, status=Proposal.Status.DRAFT, submitted_at=None
    )
    closed = ClosedEnvelopeFactory(
        round__fund__council=council,
        round__fund__total_pence=200_000_000_00,
        neighbourhood=voting.neighbourhood,
        amount_pence=123_456_789_00,
    )
    options = [
        OnBallotProposalFactory(envelope=closed, title=f"{LONG_TITLE} {n}", cost_pence=n * 999_999)
        for n in range(1, 5)
    ]
    for n in range(12):
        cast(closed, *options[: 1 + n % 4])
    envelope_count(envelope_id=closed.pk)
    round_publish(round_id=closed.round_id, few_ballots_accepted=every_envelope(closed.round_id))
    coded = make_voting_envelope(council, requires_voter_code=True)
    return {
        "voting": voting,
        "ideas": ideas,
        "idea": idea,
        "draft": draft,
        "closed": closed,
        "coded": coded,
    }


def _pages(data):
    voting, ideas, closed = data["voting"], data["ideas"], data["closed"]
    neighbourhood = voting.neighbourhood.get_absolute_url()
    public = [
        "/",
        "/?postcode=SW1A+1AA",
        "/?postcode=",
        "/?postcode=CF24",
        "/results/counting-program/",
        "/results/counting-program/README.md",
        "/cy/results/counting-program/README.md",
        "/results/",
        f"/accounts/login/?next=/envelopes/{voting.pk}/vote/",
        neighbourhood,
        f"/rounds/{voting.round_id}/",
        f"/rounds/{closed.round_id}/",
        f"/envelopes/{ideas.pk}/proposals/",
        f"/envelopes/{voting.pk}/proposals/",
        data["idea"].get_absolute_url(),
        f"/proposals/{data['idea'].pk}/report/",
        f"/envelopes/{closed.pk}/results/",
        f"/rounds/{closed.round_id}/results/",
        "/privacy/",
        "/accessibility/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/login/code/",
        "/no-such-page/",
        "/cy/",
        f"/cy{neighbourhood}",
    ]
    signed_in = [
        "/accounts/profile/",
        "/accounts/delete/",
        "/proposals/mine/",
        f"/envelopes/{ideas.pk}/proposals/new/",
        data["draft"].get_absolute_url(),
        f"/proposals/{data['idea'].pk}/change/",
        f"/envelopes/{voting.pk}/vote/",
        f"/envelopes/{voting.pk}/vote/receipt/",
        f"/envelopes/{data['coded'].pk}/vote/code/",
        f"/envelopes/{closed.pk}/vote/",
        "/accounts/logout/",
    ]
    return public, signed_in


def _overflow(page, url) -> int | None:
    page.goto(url)
    extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return extra if extra > 0 else None


def test_no_page_scrolls_sideways_at_320_px(
    browser, live_server, client, resident, every_kind_of_page
):
    public, signed_in = _pages(every_kind_of_page)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    overflowing = {url: _overflow(page, url) for url in public}
    client.force_login(resident)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    overflowing |= {url: _overflow(page, url) for url in signed_in}
    context.close()
    assert {url: px for url, px in overflowing.items() if px} == {}
    assert len(overflowing) == len(public) + len(signed_in)


def test_no_word_to_type_breaks_at_a_hyphen_at_320_px(
    browser,
    live_server,
    riverside_and_pentwyn,  # noqa: F811
):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    for envelope in riverside_and_pentwyn.envelopes.all():
        for language in ("", "/cy"):
            page.goto(f"{language}/envelopes/{envelope.pk}/results/")
            page.locator("details summary").click()  # the commands to check the program
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
            assert words_broken_at_a_hyphen(page) == [], page.url
            assert words_split_though_they_fit(page) == [], page.url
            # Words as long as the demo's fit on one line of a 320 px phone.
            shown = words_on_one_line(page)
            assert shown["equalshares/add1-comparison"] is True
            file_name = f"2025-26-{envelope.neighbourhood.slug}-ballots.pb"
            assert shown[file_name] is (file_name != TOO_LONG_FOR_A_PHONE)
    context.close()


def test_the_check_itself_catches_a_page_that_scrolls_sideways(page, live_server):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.evaluate("document.querySelector('h1').style.width = '600px'")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 0
