import pytest
from django.urls import reverse

from budgets.models import Round
from tests.budgets.factories import EnvelopeFactory, RoundFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.pages import in_page_order

pytestmark = pytest.mark.django_db


def test_it_lists_every_neighbourhood_and_its_envelope_with_the_total(client):
    round_ = RoundFactory()
    for name, amount in [("Ash", 10_000_00), ("Birch", 25_000_50)]:
        EnvelopeFactory(
            round=round_,
            neighbourhood=NeighbourhoodFactory(council=round_.fund.council, name=name),
            amount_pence=amount,
        )
    html = client.get(reverse("budgets-round", args=[round_.pk])).content.decode()
    assert html.index("Ash") < html.index("Birch")
    assert "£10,000" in html and "£25,000.50" in html and "£35,000.50" in html


def test_a_draft_round_is_404(client):
    round_ = RoundFactory(phase=Round.Phase.DRAFT)
    assert client.get(reverse("budgets-round", args=[round_.pk])).status_code == 404


def test_its_query_count_does_not_grow_with_neighbourhoods(client, django_assert_max_num_queries):
    round_ = RoundFactory()
    for _ in range(30):
        EnvelopeFactory(round=round_, amount_pence=1_000_00)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("budgets-round", args=[round_.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("phase", "link"),
    [
        (Round.Phase.PROPOSALS_OPEN, None),
        (Round.Phase.VOTING_OPEN, "/envelopes/{}/vote/"),
        (Round.Phase.PUBLISHED, "/envelopes/{}/results/"),
    ],
)
def test_each_neighbourhood_links_to_its_ideas_ballot_and_results(client, phase, link):
    envelope = EnvelopeFactory(round__phase=phase)
    html = client.get(reverse("budgets-round", args=[envelope.round_id])).content.decode()
    assert f"/envelopes/{envelope.pk}/proposals/" in html
    for other in ["/envelopes/{}/vote/", "/envelopes/{}/results/"]:
        assert (other.format(envelope.pk) in html) is (other == link)


def test_a_round_closed_early_shows_the_day_voting_closed_not_the_planned_one(client):
    # Found by a trial: "Voting closed from 23 December 2026 (finished)", a future date.
    from datetime import timedelta

    from django.utils import timezone

    from budgets.services import round_advance

    round_ = EnvelopeFactory(
        round__phase=Round.Phase.VOTING_OPEN, round__start=timezone.now() - timedelta(days=50)
    ).round
    round_advance(round_id=round_.pk, to_phase=Round.Phase.VOTING_CLOSED)
    Round.objects.filter(pk=round_.pk).update(phase=Round.Phase.COUNTED)

    html = client.get(reverse("budgets-round", args=[round_.pk])).content.decode()

    today = timezone.localdate().strftime("%-d %B %Y")
    planned = timezone.localtime(round_.voting_closes_at).strftime("%-d %B %Y")
    assert f"from {today}" in html
    assert f"from {planned}" not in html


def test_a_welsh_page_lists_the_neighbourhoods_by_their_welsh_names(client):
    round_ = RoundFactory()
    for name, name_cy in [
        ("Splott", "Sblot"),
        ("Riverside", "Glan-yr-afon"),
        ("Llandaff North", "Ystum Taf"),
        ("Canton", ""),
    ]:
        place = NeighbourhoodFactory(council=round_.fund.council, name=name, name_cy=name_cy)
        EnvelopeFactory(round=round_, neighbourhood=place)
    url = reverse("budgets-round", args=[round_.pk])

    english = client.get(url).content.decode()
    welsh = client.get("/cy" + url).content.decode()

    assert in_page_order(english, ["Canton", "Llandaff North", "Riverside", "Splott"])
    assert in_page_order(welsh, ["Canton", "Glan-yr-afon", "Sblot", "Ystum Taf"])
