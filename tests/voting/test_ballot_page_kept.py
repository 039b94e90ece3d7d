"""The ballot page is drawn once per process for each envelope, language and kind of
reader (voting.ballot_page); every reader must get what a fresh drawing would give."""

import re
import uuid

import pytest
from django.urls import reverse

from budgets.models import Round
from neighbourhoods.models import Neighbourhood
from tests.accounts.factories import UserFactory
from tests.voting.conftest import make_voting_envelope
from voting import ballot_page
from voting.ballot_html import _draw, options_html
from voting.rules import BallotRule
from voting.selectors import ballot_ideas

pytestmark = pytest.mark.django_db

# The parts that differ on every drawing, even for one reader.
_PER_REQUEST = [
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(r'(nonce=")[^"]+'),
    re.compile(r'(name="submission" value=")[^"]+'),
]


def _url(envelope):
    return reverse("voting-ballot", kwargs={"envelope_id": envelope.pk})


def _same_apart_from_tokens(html: str) -> str:
    for pattern in _PER_REQUEST:
        html = pattern.sub(r"\1…", html)
    return html


def _fresh(client, url) -> str:
    """The page drawn in full, with nothing kept."""
    ballot_page._kept.clear()
    response = client.get(url)
    ballot_page._kept.clear()
    return response.content.decode()


def _neighbour():
    return UserFactory(email=f"{uuid.uuid4().hex}@example.test", home_postcode="CF24 2AB")


@pytest.mark.parametrize("path_prefix", ["", "/cy"])
def test_a_kept_page_is_the_fresh_drawing_with_the_readers_own_tokens(
    client, resident, envelope, on_ballot, path_prefix
):
    url = path_prefix + _url(envelope)
    client.force_login(resident)
    first = client.get(url).content.decode()  # drawn, and kept
    assert ballot_page._kept, "the page was not kept: a slot's value was not found on it"
    kept = client.get(url)
    fresh = _fresh(client, url)
    assert _same_apart_from_tokens(kept.content.decode()) == _same_apart_from_tokens(fresh)
    assert _same_apart_from_tokens(first) == _same_apart_from_tokens(fresh)
    # Its own tokens: a new submission key, and the nonce the response's policy names.
    keys = {
        re.search(r'name="submission" value="([^"]+)"', page).group(1)
        for page in (first, kept.content.decode())
    }
    assert len(keys) == 2
    nonces = set(re.findall(r'nonce="([^"]+)"', kept.content.decode()))
    assert len(nonces) == 1  # every inline script has this response's nonce
    assert f"'nonce-{nonces.pop()}'" in kept["Content-Security-Policy"]


def test_a_kept_page_takes_a_form_the_cast_accepts(client, resident, envelope, on_ballot):
    client.force_login(resident)
    client.get(_url(envelope))
    page = client.get(_url(envelope)).content.decode()
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|submission)" value="([^"]+)"', page))
    client.handler.enforce_csrf_checks = True
    response = client.post(_url(envelope), {**fields, "choice": [on_ballot["Trees"]]})
    assert response.status_code == 302


def test_each_voter_sees_their_own_choices_and_meter(client, resident, envelope, on_ballot):
    client.force_login(resident)
    client.get(_url(envelope))
    data = {"choice": [on_ballot["Trees"]], "submission": str(uuid.uuid4())}
    response = client.post(_url(envelope), data)
    client.get(response["Location"])  # the receipt, which shows "Vote sent"
    mine = client.get(_url(envelope)).content.decode()
    assert mine.count(" checked>") == 1 and "£20,000 of £30,000 chosen" in mine
    assert "You have already voted" in mine
    assert _same_apart_from_tokens(mine) == _same_apart_from_tokens(_fresh(client, _url(envelope)))

    client.force_login(_neighbour())
    client.get(_url(envelope))
    theirs = client.get(_url(envelope)).content.decode()
    assert " checked>" not in theirs and "£0 of £30,000 chosen" in theirs
    assert "You have already voted" not in theirs


def test_an_officers_change_shows_on_the_next_page(client, resident, envelope):
    client.force_login(resident)
    client.get(_url(envelope))
    Round.objects.filter(pk=envelope.round_id).update(name="Splott Chooses")
    Neighbourhood.objects.filter(pk=envelope.neighbourhood_id).update(name="Splott East")
    html = client.get(_url(envelope)).content.decode()
    assert "Splott Chooses" in html and "for the people of Splott East" in html


def test_a_page_with_a_message_is_drawn_in_full(client, resident, envelope, on_ballot):
    client.force_login(resident)
    client.get(_url(envelope))
    client.get(_url(envelope))
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "A word from the council")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    assert "A word from the council" in client.get(_url(envelope)).content.decode()


@pytest.mark.parametrize(
    "rule_fields",
    [
        {"ballot_rule": Round.BallotRule.KNAPSACK},
        {
            "ballot_rule": Round.BallotRule.CUMULATIVE,
            "points_total": 10,
            "points_per_proposal_max": 5,
        },
    ],
)
def test_choices_filled_into_kept_ideas_match_a_fresh_drawing(council, rule_fields):
    envelope = make_voting_envelope(council, **rule_fields)
    rule = BallotRule.for_envelope(envelope)
    ideas = ballot_ideas(envelope)
    choices = {ideas[0].pk: 3, ideas[2].pk: 1}
    options_html(rule, ideas, {})  # keep the unchosen drawing
    assert options_html(rule, ideas, choices) == _draw(rule, ideas, choices)
    assert options_html(rule, ideas, {}) == _draw(rule, ideas, {})


def test_the_vote_does_not_read_the_neighbourhoods_boundary(client, resident, envelope):
    from voting.eligibility import envelope_for_voter

    shape = {"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0, 0]]]}
    Neighbourhood.objects.filter(pk=envelope.neighbourhood_id).update(boundary=shape)
    loaded = envelope_for_voter(resident, envelope.pk)
    assert "boundary" in loaded.neighbourhood.get_deferred_fields()
    assert loaded.neighbourhood.boundary == shape  # still there when asked for
    client.force_login(resident)
    assert client.get(_url(envelope)).status_code == 200


def test_addresses_with_other_query_keys_add_no_drawings(client, resident, envelope, on_ballot):
    ballot_page._kept.clear()
    client.force_login(resident)
    client.get(_url(envelope))
    client.get(_url(envelope) + "?change=1")
    assert len(ballot_page._kept) == 2
    for query in ("?a=1", "?a=2", "?utm_source=leaflet", "?change=1&a=1", "?change=2"):
        response = client.get(_url(envelope) + query)
        assert response.status_code == 200
        assert f'href="/cy{_url(envelope)}{query}"' in response.content.decode().replace(
            "&amp;", "&"
        )
    assert len(ballot_page._kept) == 2


def test_the_page_key_reads_no_deferred_column(
    rf, resident, envelope, on_ballot, django_assert_num_queries
):
    from budgets.models import Envelope

    loaded = (
        Envelope.objects.select_related(
            "round", "round__fund", "neighbourhood", "neighbourhood__council"
        )
        .defer("neighbourhood__name", "round__name")
        .get(pk=envelope.pk)
    )
    ideas = ballot_ideas(loaded)
    request = rf.get(_url(envelope))
    request.user = resident
    context = {"has_ballot": False, "age_confirmed": False}
    with django_assert_num_queries(0):
        key = ballot_page._page_key(request, loaded, ideas, context)
    assert key is not None
