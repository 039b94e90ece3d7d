"""What other apps' pages say about a resident's own vote: the neighbourhood page once they
have voted, and the sign-in page on the way to a ballot."""

import uuid
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from budgets.models import Round
from tests.voting.conftest import add_riverside
from voting.models import Ballot
from voting.services import ballot_cast

pytestmark = pytest.mark.django_db


def _vote(resident, envelope, titles):
    ids = dict(envelope.proposals.values_list("title", "pk"))
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={ids[t]: 1 for t in titles},
        idempotency_key=uuid.uuid4(),
    )
    return Ballot.objects.get(envelope=envelope).receipt


def test_before_voting_the_neighbourhood_page_says_vote_now(client, resident, envelope):
    client.force_login(resident)
    html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "Vote now" in html
    assert "You have voted" not in html


def test_after_voting_the_neighbourhood_page_says_so_with_the_receipt_and_links(
    client, resident, envelope, django_assert_max_num_queries
):
    receipt = _vote(resident, envelope, ["Benches"])
    client.force_login(resident)
    with django_assert_max_num_queries(12):
        html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "Vote now" not in html
    assert "You have voted." in html and receipt in html
    assert f'href="{reverse("voting-ballot", args=[envelope.pk])}">Change your vote' in html
    assert (
        f'href="{reverse("voting-receipt", args=[envelope.pk])}">See your vote and receipt' in html
    )


def test_someone_else_still_sees_vote_now(client, resident, envelope, django_user_model):
    _vote(resident, envelope, ["Benches"])
    neighbour = django_user_model.objects.create_user(
        email="ceri@example.test", home_postcode="CF24 2AB"
    )
    client.force_login(neighbour)
    html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "Vote now" in html and "You have voted" not in html


def test_once_voting_closes_the_page_still_links_to_the_receipt_but_not_to_change(
    client, resident, envelope
):
    receipt = _vote(resident, envelope, ["Benches"])
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    client.force_login(resident)
    html = client.get(envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "You voted in this round" in html and receipt in html
    assert "Change your vote" not in html
    assert reverse("voting-receipt", args=[envelope.pk]) in html


def test_signing_in_on_the_way_to_a_ballot_says_what_it_is_for(client, envelope):
    ballot = reverse("voting-ballot", args=[envelope.pk])
    response = client.get(ballot)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert '<h1 class="govuk-heading-l">Sign in to vote for Splott</h1>' in html
    assert "Splott Decides" in html
    assert "<title>Sign in to vote for Splott" in html


@pytest.mark.parametrize(
    "next_url",
    ["", "/", "/envelopes/999999/vote/", "https://evil.example/envelopes/1/vote/", "/nowhere/"],
)
def test_signing_in_for_anything_else_is_plain_sign_in(client, envelope, next_url):
    url = reverse("account_login") + ("?" + urlencode({"next": next_url}) if next_url else "")
    html = client.get(url).content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert "Sign in to vote" not in html


def test_the_new_words_are_in_welsh_too(client, resident, envelope):
    receipt = _vote(resident, envelope, ["Benches"])
    client.force_login(resident)
    ballot_url = "/cy" + reverse("voting-ballot", args=[envelope.pk])
    neighbourhood = client.get("/cy" + envelope.neighbourhood.get_absolute_url()).content.decode()
    assert "Rydych wedi pleidleisio." in neighbourhood and receipt in neighbourhood
    assert "Gweld eich pleidlais a'ch derbynneb" in neighbourhood
    ballot = client.get(ballot_url).content.decode()
    assert "Y syniadau" in ballot and "Caiff ei gyfrifo eto pan fyddwch yn pwyso Parhau." in ballot
    home = client.get("/cy/", {"postcode": "CF24"}).content.decode()
    assert "Dim ond hanner cyntaf cod post yw CF24." in home


def test_the_ideas_page_names_where_they_voted_in_welsh_or_marks_the_english(
    client, resident, envelope
):
    """The ideas page shares the round card's words: a Welsh reader gets the Welsh name of
    the neighbourhood they voted for, or the English one marked as English."""
    riverside = add_riverside(envelope)
    _vote(resident, envelope, ["Benches"])
    resident.home_postcode = "CF10 5AL"
    resident.save()
    client.force_login(resident)
    ideas = "/cy" + reverse("proposals-envelope", args=[riverside.pk])

    html = client.get(ideas).content.decode()
    assert (
        'Rydych wedi pleidleisio yn y cylch hwn, dros gymdogaeth <span lang="en-gb">Splott</span>.'
        in html
    )

    envelope.neighbourhood.name_cy = "Sblot"
    envelope.neighbourhood.save()
    html = client.get(ideas).content.decode()
    assert "Rydych wedi pleidleisio yn y cylch hwn, dros gymdogaeth Sblot." in html
    assert f'href="{reverse("voting-ballot", args=[envelope.pk])}">Newid eich pleidlais' in html


def _move_on_to(envelope, phase):
    """Step the round on phase by phase, as the database's guard allows."""
    for step in [Round.Phase.VOTING_CLOSED, Round.Phase.COUNTED, Round.Phase.PUBLISHED]:
        Round.objects.filter(pk=envelope.round_id).update(phase=step)
        if step == phase:
            return


def _receipt_page(client, resident, envelope):
    client.force_login(resident)
    return client.get(reverse("voting-receipt", args=[envelope.pk])).content.decode()


def test_reloading_the_receipt_says_the_vote_is_stored(client, resident, envelope):
    _vote(resident, envelope, ["Benches"])
    html = _receipt_page(client, resident, envelope)
    assert "Your vote is stored" in html
    assert "Until then you can change your vote" in html


def test_after_the_close_the_receipt_says_voting_has_closed(client, resident, envelope):
    _vote(resident, envelope, ["Benches"])
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    html = _receipt_page(client, resident, envelope)
    assert "Voting has closed, so your vote can no longer be changed." in html
    assert "Until then you can change your vote" not in html
    assert "We will email you" not in html
    assert reverse("voting-results", args=[envelope.pk]) not in html


def test_once_published_the_receipt_links_to_the_results_and_says_where_the_reference_is(
    client, resident, envelope
):
    _vote(resident, envelope, ["Benches"])
    _move_on_to(envelope, Round.Phase.PUBLISHED)
    html = _receipt_page(client, resident, envelope)
    assert "Voting has closed and the results are published." in html
    assert "download the ballot file from the results page and look for your receipt" in html
    assert f'href="{reverse("voting-results", args=[envelope.pk])}">See the results for' in html


@pytest.mark.parametrize(
    ("phase", "shows_results"),
    [(Round.Phase.VOTING_CLOSED, False), (Round.Phase.PUBLISHED, True)],
)
def test_the_closed_ballot_links_a_voter_to_their_receipt(
    client, resident, envelope, phase, shows_results
):
    _vote(resident, envelope, ["Benches"])
    _move_on_to(envelope, phase)
    client.force_login(resident)
    html = client.get(reverse("voting-ballot", args=[envelope.pk])).content.decode()
    assert "Voting has closed. Nothing can be changed now." in html
    assert (
        f'href="{reverse("voting-receipt", args=[envelope.pk])}">See your vote and receipt' in html
    )
    assert (reverse("voting-results", args=[envelope.pk]) in html) is shows_results


def test_the_closed_ballot_offers_no_receipt_to_someone_who_did_not_vote(
    client, resident, envelope
):
    _move_on_to(envelope, Round.Phase.PUBLISHED)
    client.force_login(resident)
    html = client.get(reverse("voting-ballot", args=[envelope.pk])).content.decode()
    assert "Voting has closed. Nothing can be changed now." in html
    assert reverse("voting-receipt", args=[envelope.pk]) not in html
