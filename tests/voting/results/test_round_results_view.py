from django.urls import reverse

from tests.pages import in_page_order
from tests.voting.results.factories import ClosedEnvelopeFactory


def test_it_lists_every_neighbourhood_with_its_spending(client, published_envelope):
    url = reverse("voting-round-results", kwargs={"round_id": published_envelope.round_id})

    response = client.get(url)

    page = response.content.decode()
    assert "Splott" in page
    assert "£9,000" in page
    assert reverse("voting-results", kwargs={"envelope_id": published_envelope.pk}) in page


def test_it_names_the_counting_rule_without_opening_a_neighbourhood(client, published_envelope):
    round_ = published_envelope.round
    url = reverse("voting-round-results", kwargs={"round_id": round_.pk})
    name = round_.get_counting_rule_display()

    page = client.get(url).content.decode()

    assert f"Counted with the rule “{name}”." in page
    assert in_page_order(page, ["How the votes were counted", "Results in each neighbourhood"])


def test_it_is_not_found_before_the_round_is_published(client, db):
    envelope = ClosedEnvelopeFactory()
    url = reverse("voting-round-results", kwargs={"round_id": envelope.round_id})

    assert client.get(url).status_code == 404


def test_it_needs_a_fixed_number_of_queries(
    client, published_envelope, django_assert_max_num_queries
):
    url = reverse("voting-round-results", kwargs={"round_id": published_envelope.round_id})

    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_one_ballot_reads_as_one_ballot_in_english_and_welsh(client, db, council):
    from tests.voting.results.factories import OnBallotProposalFactory, cast, every_envelope
    from voting.results.services import envelope_count, round_publish

    envelope = ClosedEnvelopeFactory(round__fund__council=council, neighbourhood__council=council)
    benches = OnBallotProposalFactory(envelope=envelope, title="Benches", cost_pence=4_000_00)
    cast(envelope, benches)
    envelope_count(envelope_id=envelope.pk)
    every = every_envelope(envelope.round_id)
    round_publish(round_id=envelope.round_id, few_ballots_accepted=every)
    pages = [
        reverse("voting-round-results", kwargs={"round_id": envelope.round_id}),
        reverse("voting-results", kwargs={"envelope_id": envelope.pk}),
    ]
    for url in pages:
        english = client.get(url).content.decode()
        assert "1 ballot was counted." in english and "ballots were counted" not in english
        welsh = client.get("/cy" + url).content.decode()
        assert "Cafodd 1 papur pleidleisio ei gyfrif." in welsh, url


# Each neighbourhood's English and Welsh names; Canton has none in Welsh.
PLACES = [
    ("Splott", "Sblot"),
    ("Riverside", "Glan-yr-afon"),
    ("Llandaff North", "Ystum Taf"),
    ("Canton", ""),
]


def test_a_welsh_page_lists_the_neighbourhoods_by_their_welsh_names(client, council):
    from budgets.models import Round
    from tests.neighbourhoods.factories import NeighbourhoodFactory
    from tests.proposals.factories import RoundFactory
    from tests.voting.results.factories import OnBallotProposalFactory, cast, every_envelope
    from voting.results.services import envelope_count, round_publish

    round_ = RoundFactory(
        fund__council=council,
        phase=Round.Phase.VOTING_CLOSED,
        ballot_rule=Round.BallotRule.APPROVAL,
    )
    for name, name_cy in PLACES:
        place = NeighbourhoodFactory(council=council, name=name, name_cy=name_cy)
        envelope = ClosedEnvelopeFactory(round=round_, neighbourhood=place)
        cast(envelope, OnBallotProposalFactory(envelope=envelope, cost_pence=1_000_00))
    for envelope_id in every_envelope(round_.pk):
        envelope_count(envelope_id=envelope_id)
    round_publish(round_id=round_.pk, few_ballots_accepted=every_envelope(round_.pk))
    url = reverse("voting-round-results", kwargs={"round_id": round_.pk})

    english = client.get(url).content.decode()
    welsh = client.get("/cy" + url).content.decode()

    assert in_page_order(english, ["Canton", "Llandaff North", "Riverside", "Splott"])
    assert in_page_order(welsh, ["Canton", "Glan-yr-afon", "Sblot", "Ystum Taf"])
