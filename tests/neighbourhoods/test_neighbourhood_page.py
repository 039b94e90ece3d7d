from datetime import timedelta

import pytest
from django.utils import timezone

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
    assert "Taking ideas" in html and "Voting open" in html
    assert "Proposals open" not in html  # the officers' name for it


def test_draft_rounds_stay_private(client):
    envelope = EnvelopeFactory(round__phase=Round.Phase.DRAFT, round__name="Secret plans")
    html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "Secret plans" not in html
    assert "has no money to decide on yet" in html


def _round_in(neighbourhood, name, phase, days_ago):
    round_ = RoundFactory(
        fund__council=neighbourhood.council,
        name=name,
        phase=phase,
        start=timezone.now() - timedelta(days=days_ago),
    )
    return EnvelopeFactory(round=round_, neighbourhood=neighbourhood)


def test_every_live_round_shows_what_a_resident_can_do_now(client):
    neighbourhood = NeighbourhoodFactory()
    voting = _round_in(neighbourhood, "Green Streets", Round.Phase.VOTING_OPEN, 50)
    # Its voting opens later than Green Streets': it must not hide the open ballot.
    ideas = _round_in(neighbourhood, "Decides 2027", Round.Phase.PROPOSALS_OPEN, 5)
    review = _round_in(neighbourhood, "Parks", Round.Phase.REVIEW, 30)
    counting = _round_in(neighbourhood, "Lights", Round.Phase.VOTING_CLOSED, 60)
    done = _round_in(neighbourhood, "Decides 2025", Round.Phase.PUBLISHED, 400)

    html = client.get(neighbourhood.get_absolute_url()).content.decode()

    now, coming, results = (
        html.index("What you can do now"),
        html.index("Coming next"),
        html.index('<h2 class="govuk-heading-l">Results</h2>'),
    )
    assert now < html.index("Green Streets") < html.index("Decides 2027") < coming
    assert coming < html.index("Parks") < results and coming < html.index("Lights") < results
    assert results < html.index("Decides 2025")
    assert f"/envelopes/{voting.pk}/vote/" in html
    assert "Voting is open until" in html
    assert f"/envelopes/{ideas.pk}/proposals/new/" in html
    assert f"/envelopes/{review.pk}/proposals/" in html and "Voting opens on" in html
    assert "The votes are being counted" in html and f"/envelopes/{counting.pk}/" in html
    assert f"/envelopes/{done.pk}/results/" in html


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
