"""Trial item 11: a resident who voted, then moved, is shown where their vote is, never
"Vote now" in their new neighbourhood for the same round."""

import uuid

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from budgets.models import Round
from tests.accounts.factories import UserFactory
from tests.browser.conftest import axe_violations
from tests.browser.test_voting_journey import _sign_in_by_code
from tests.voting.conftest import add_riverside, make_voting_envelope
from voting.services import ballot_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def voted_in_splott(council):
    splott = make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)
    add_riverside(splott)
    user = UserFactory(email="nia@example.test", display_name="Nia", home_postcode="CF24 2AB")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    ballot_cast(
        user=user,
        envelope_id=splott.pk,
        choices={splott.proposals.first().pk: 1},
        idempotency_key=uuid.uuid4(),
    )
    return user


def _move_to_riverside_and_open_it(page, user):
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    _sign_in_by_code(page, user.email)
    page.get_by_role("link", name="Your details").click()
    page.get_by_label("Home postcode").fill("CF10 5AL")
    page.get_by_role("button", name="Save my details").click()
    page.get_by_role("link", name="Riverside").click()
    expect(page.locator("h1")).to_have_text("Riverside")


@pytest.mark.parametrize("fixture", ["phone_page", "page", "page_without_js"])
def test_the_new_neighbourhood_points_to_the_vote_already_given(request, fixture, voted_in_splott):
    page = request.getfixturevalue(fixture)
    _move_to_riverside_and_open_it(page, voted_in_splott)

    assert page.get_by_role("link", name="Vote now").count() == 0
    expect(page.get_by_text("You have voted in this round, for Splott.")).to_be_visible()
    checked = fixture != "page_without_js"  # axe runs in the page, so needs JavaScript
    assert not checked or axe_violations(page) == []
    page.get_by_role("link", name="Change your vote for Splott").click()
    expect(page.locator("h1")).to_have_text("Vote for Splott")
    assert not checked or axe_violations(page) == []
