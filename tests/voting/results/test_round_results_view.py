from django.urls import reverse

from tests.voting.results.factories import ClosedEnvelopeFactory


def test_it_lists_every_neighbourhood_with_its_spending(client, published_envelope):
    url = reverse("voting-round-results", kwargs={"round_id": published_envelope.round_id})

    response = client.get(url)

    page = response.content.decode()
    assert "Splott" in page
    assert "£9,000" in page
    assert reverse("voting-results", kwargs={"envelope_id": published_envelope.pk}) in page


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
