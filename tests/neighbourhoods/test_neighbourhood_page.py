import pytest

from budgets.models import Round
from tests.budgets.factories import EnvelopeFactory, RoundFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_current_round_envelope_and_timeline(client):
    envelope = EnvelopeFactory(amount_pence=45_000_50, round__name="Splott Decides 2026")
    response = client.get(envelope.neighbourhood.get_absolute_url())
    html = response.content.decode()
    assert "£45,000.50" in html
    assert "Splott Decides 2026" in html
    assert 'aria-current="step"' in html
    assert "Proposals open" in html and "Voting open" in html


def test_draft_rounds_stay_private(client):
    envelope = EnvelopeFactory(round__phase=Round.Phase.DRAFT, round__name="Secret plans")
    html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "Secret plans" not in html
    assert "has no money to decide on yet" in html


def test_earlier_rounds_are_listed(client):
    envelope = EnvelopeFactory(round__name="This year")
    RoundFactory(
        fund=envelope.round.fund,
        name="Last year",
        phase=Round.Phase.PUBLISHED,
        start=envelope.round.proposals_open_at.replace(year=2025),
    )
    earlier = EnvelopeFactory(
        round=Round.objects.get(name="Last year"),
        neighbourhood=envelope.neighbourhood,
        amount_pence=1_00,
    )
    html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "Earlier rounds" in html and earlier.round.name in html


def test_an_unknown_neighbourhood_is_404(client, council):
    assert client.get(f"/neighbourhoods/{council.slug}/nowhere/").status_code == 404


def test_its_query_count_is_bounded(client, django_assert_max_num_queries):
    neighbourhood = NeighbourhoodFactory()
    for _ in range(5):
        round_ = RoundFactory(fund__council=neighbourhood.council, phase=Round.Phase.PUBLISHED)
        EnvelopeFactory(round=round_, neighbourhood=neighbourhood)
    with django_assert_max_num_queries(4):
        client.get(neighbourhood.get_absolute_url())


def test_user_text_is_escaped(client):
    envelope = EnvelopeFactory(round__name="<script>alert(1)</script>")
    html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_a_published_round_links_to_its_results(client):
    envelope = EnvelopeFactory(round__phase=Round.Phase.PUBLISHED)
    html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert f"/envelopes/{envelope.pk}/results/" in html
    round_page = client.get(envelope.round.get_absolute_url()).content.decode()
    assert f"/rounds/{envelope.round_id}/results/" in round_page
