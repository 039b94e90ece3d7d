"""The list of every published result: the way in for someone checking a count who does
not live in the neighbourhood (the home page offers only a postcode search)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Round
from tests.voting.results.factories import (
    ClosedEnvelopeFactory,
    OnBallotProposalFactory,
    cast,
    every_envelope,
)
from voting.results.services import envelope_count, round_publish

INDEX = reverse("voting-results-index")


def _published(name, council, closed_days_ago, ballots=1, neighbourhoods=1):
    closed = timezone.now() - timedelta(days=closed_days_ago)
    first = ClosedEnvelopeFactory(
        round__name=name,
        round__fund__council=council,
        round__start=closed - timedelta(days=56),
        round__voting_closed_at=closed,
        neighbourhood__council=council,
    )
    envelopes = [first]
    envelopes += [
        ClosedEnvelopeFactory(round=first.round, neighbourhood__council=council)
        for _ in range(neighbourhoods - 1)
    ]
    for envelope in envelopes:
        idea = OnBallotProposalFactory(envelope=envelope, cost_pence=1_000_00)
        for _ in range(ballots):
            cast(envelope, idea)
    for envelope in envelopes:
        envelope_count(envelope_id=envelope.pk)
    round_publish(round_id=first.round_id, few_ballots_accepted=every_envelope(first.round_id))
    return first.round


@pytest.mark.django_db
def test_it_lists_each_published_vote_with_its_council_date_neighbourhoods_and_ballots(
    client, council
):
    round_ = _published("Riverton Decides", council, closed_days_ago=3, ballots=2, neighbourhoods=2)

    page = client.get(INDEX).content.decode()

    assert "Riverton Decides" in page
    assert council.name in page
    assert reverse("voting-round-results", kwargs={"round_id": round_.pk}) in page
    row = page[page.index("Riverton Decides") :]
    row = row[: row.index("</tr>")]
    assert ">2</td>" in row  # neighbourhoods
    assert ">4</td>" in row  # ballots: two in each
    assert round_.voting_closed_at.strftime("%-d %B %Y") in row


@pytest.mark.django_db
def test_votes_not_yet_published_are_not_listed(client, council):
    counted = ClosedEnvelopeFactory(round__name="Still Counting", round__fund__council=council)
    cast(counted, OnBallotProposalFactory(envelope=counted))
    envelope_count(envelope_id=counted.pk)
    ClosedEnvelopeFactory(round__name="Just Closed", round__fund__council=council)
    ClosedEnvelopeFactory(round__name="Still Voting", round__phase=Round.Phase.VOTING_OPEN)

    page = client.get(INDEX).content.decode()

    for name in ("Still Counting", "Just Closed", "Still Voting"):
        assert name not in page
    assert "No vote has been counted and published yet." in page


@pytest.mark.django_db
def test_the_latest_vote_comes_first(client, council):
    _published("Older Vote", council, closed_days_ago=400)
    _published("Newer Vote", council, closed_days_ago=10)

    page = client.get(INDEX).content.decode()

    assert page.index("Newer Vote") < page.index("Older Vote")


@pytest.mark.django_db
def test_a_long_list_comes_in_pages_with_a_fixed_number_of_queries(
    client, council, django_assert_max_num_queries
):
    for i in range(23):
        _published(f"Vote number {i:02}", council, closed_days_ago=i + 1)

    with django_assert_max_num_queries(3):
        first = client.get(INDEX).content.decode()
    with django_assert_max_num_queries(3):
        second = client.get(INDEX, {"page": 2}).content.decode()

    assert "23 published votes" in first
    assert "Vote number 00" in first and "Vote number 19" in first
    assert "Vote number 20" not in first
    assert "Vote number 20" in second and "Vote number 22" in second
    assert 'rel="next"' in first and 'rel="prev"' in second


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["abc", "-1", "0", "999999", "1' OR 1=1", "\x00", "2" * 400])
def test_a_page_number_that_is_not_one_still_shows_a_page_of_results(client, council, bad):
    _published("Riverton Decides", council, closed_days_ago=3)

    response = client.get(INDEX, {"page": bad})

    assert response.status_code == 200
    assert "Riverton Decides" in response.content.decode()


@pytest.mark.django_db
def test_the_home_page_and_every_footer_lead_to_it(client, council):
    home = client.get(reverse("home")).content.decode()

    assert home.count(f'href="{INDEX}"') == 2  # the page's own link and the footer's
    assert "See every published result and check a count yourself" in home


@pytest.mark.django_db
def test_it_reads_in_welsh(client, council):
    _published("Riverton Decides", council, closed_days_ago=3)

    page = client.get("/cy" + INDEX).content.decode()

    assert "Canlyniadau a gyhoeddwyd" in page
    assert "Published results" not in page
