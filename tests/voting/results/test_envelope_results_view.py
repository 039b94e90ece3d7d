import html
import re

import pytest
from django.urls import reverse

from budgets.models import Round
from tests.voting.results.factories import (
    ClosedEnvelopeFactory,
    OnBallotProposalFactory,
    cast,
    every_envelope,
)
from voting.results.services import envelope_count


def results_url(envelope):
    return reverse("voting-results", kwargs={"envelope_id": envelope.pk})


def test_it_shows_funded_proposals_cost_and_money_left(client, published_envelope):
    response = client.get(results_url(published_envelope))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Park benches" in page
    assert "£9,000" in page  # spent
    assert "£1,000" in page  # left


def test_it_shows_turnout_by_channel(client, published_envelope):
    response = client.get(results_url(published_envelope))

    assert response.context["turnout"] == [("Online", 3), ("Polling station", 1), ("Paper", 1)]


def test_it_explains_why_each_proposal_won_or_lost(client, published_envelope):
    response = client.get(results_url(published_envelope))

    assert b"Not funded: not enough money left" in response.content
    assert b"How the votes were counted" in response.content
    assert b"Ideas were put in order of votes" in response.content


def test_it_draws_the_chart_from_a_table_with_hidden_bars(client, published_envelope):
    response = client.get(results_url(published_envelope))

    page = response.content.decode()
    assert "<caption" in page
    assert 'class="nd-bar nd-bar--w100" aria-hidden="true"' in page  # the most votes
    assert 'class="nd-bar nd-bar--spend nd-bar--w40" aria-hidden="true"' in page  # £4,000


def test_it_links_the_downloads_and_shows_the_hash(client, published_envelope):
    response = client.get(results_url(published_envelope))

    page = response.content.decode()
    assert reverse("voting-results-pb", kwargs={"envelope_id": published_envelope.pk}) in page
    assert published_envelope.outcome.input_sha256 in page
    name = f"{published_envelope.round.slug}-{published_envelope.neighbourhood.slug}-ballots.pb"
    # The command as it reads on the page (each word is its own element, kept whole).
    shown = re.sub(r"<[^>]+>", "", page)
    assert f"python -m counting {name} --rule greedy --check" in shown
    assert reverse("voting-counting-zip") in page


def test_it_is_not_found_before_the_round_is_published(client, closed_envelope):
    envelope_count(envelope_id=closed_envelope.pk)

    assert client.get(results_url(closed_envelope)).status_code == 404


def test_it_is_not_found_for_an_envelope_never_counted(client, closed_envelope):
    assert client.get(results_url(closed_envelope)).status_code == 404


@pytest.mark.parametrize("proposals", [3, 30])
def test_it_needs_the_same_few_queries_however_many_proposals(
    client, closed_envelope, django_assert_max_num_queries, proposals
):
    for _ in range(proposals - 3):
        cast(closed_envelope, OnBallotProposalFactory(envelope=closed_envelope, cost_pence=100))
    envelope_count(envelope_id=closed_envelope.pk)
    Round.objects.filter(pk=closed_envelope.round_id).update(phase=Round.Phase.COUNTED)
    from voting.results.services import round_publish

    round_publish(
        round_id=closed_envelope.round_id,
        few_ballots_accepted=every_envelope(closed_envelope.round_id),
    )

    with django_assert_max_num_queries(6):
        assert client.get(results_url(closed_envelope)).status_code == 200


def test_the_headline_says_what_was_funded_not_what_was_chosen(client, published_envelope):
    page = client.get(results_url(published_envelope)).content.decode()
    assert "ideas were funded in" in page or "idea was funded in" in page
    assert " chose " not in page
    assert "Spent on funded ideas" in page


def test_it_links_the_rule_description_and_the_counting_programs_source(client, published_envelope):
    page = client.get(results_url(published_envelope)).content.decode()
    assert 'id="how-counted"' in page and 'href="#how-counted"' in page
    source = reverse("voting-counting-source")
    assert f'href="{source}"' in page
    # The commands keep their lines and scroll in their own box, by keyboard too.
    assert '<pre class="govuk-body nd-receipt nd-commands" tabindex="0" role="region"' in page


def test_it_shows_the_comparison_steps_two_tallies_and_which_outcome_was_kept(
    client, compared_envelope
):
    response = client.get(results_url(compared_envelope))

    page = response.content.decode()
    assert response.context["comparison"] == {
        "prefer_equal_shares": 1,
        "prefer_greedy": 3,
        "kept": "The outcome by most votes",
    }
    assert "Voters who preferred the Equal Shares outcome" in page
    assert "Voters who preferred the outcome by most votes" in page
    assert "The count's details say" not in page
    # Where to find the same figures: under the heading the program prints, not as the
    # names of its JSON keys, which mean nothing to most residents (found by a trial).
    assert "under “Compared with most votes”, when you count the ballots again" in page
    assert "prefer_greedy" not in page and "JSON" not in page


BOTH_ZERO = "Here both figures are 0"


def test_tallies_of_0_and_0_are_explained_and_others_are_not(client, council):
    # Both ways fund the same idea: nobody prefers either, which reads as broken unless
    # the page says why (found by a trial).
    from voting.results.services import round_publish

    envelope = ClosedEnvelopeFactory(
        round__fund__council=council,
        round__counting_rule=Round.CountingRule.EQUAL_SHARES_ADD1_COMPARISON,
        neighbourhood__council=council,
    )
    benches = OnBallotProposalFactory(envelope=envelope, title="Park benches", cost_pence=6_000)
    cast(envelope, benches)
    envelope_count(envelope_id=envelope.pk)
    round_publish(
        round_id=envelope.round_id, few_ballots_accepted=every_envelope(envelope.round_id)
    )

    response = client.get(results_url(envelope))

    assert response.context["comparison"]["prefer_greedy"] == 0
    assert response.context["comparison"]["prefer_equal_shares"] == 0
    assert BOTH_ZERO in response.content.decode()


def test_tallies_that_are_not_both_0_need_no_such_note(client, compared_envelope):
    assert BOTH_ZERO not in client.get(results_url(compared_envelope)).content.decode()


def test_the_comparison_is_not_shown_for_a_rule_without_it(client, published_envelope):
    response = client.get(results_url(published_envelope))

    assert response.context["comparison"] is None
    assert "Voters who preferred" not in response.content.decode()


def test_it_reads_the_tallies_of_a_count_stored_before_details_kept_nested_objects(
    client, compared_envelope
):
    outcome = compared_envelope.outcome
    stored = outcome.details["comparison"]
    # The guard keeps a count final, so the old form is set in memory only.
    outcome.details["comparison"] = str(stored)

    from voting.results.explanations import comparison_figures

    assert comparison_figures(outcome.details)["prefer_greedy"] == stored["prefer_greedy"] == 3


def text_of(response) -> str:
    """The page's words as a reader sees them: no tags, one space between words."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode())))


def test_the_recount_steps_name_the_counting_folder_in_english_and_welsh(
    client, published_envelope
):
    # Unzipped, the program is a folder called "counting": the Welsh steps said so and
    # the English did not (found by a trial).
    english = text_of(client.get(results_url(published_envelope)))
    welsh = text_of(client.get("/cy" + results_url(published_envelope)))

    assert "In that folder you then find a folder called counting: that is the program." in english
    assert "beside the counting folder (not inside it)" in english
    assert "fe welwch ffolder o'r enw counting: dyna'r rhaglen." in welsh
    assert "wrth ymyl y ffolder counting (nid y tu mewn iddo)" in welsh


def test_the_tie_rule_is_explained_digit_by_digit_not_as_dictionary_order(
    client, published_envelope
):
    english = text_of(client.get(results_url(published_envelope)))
    welsh = text_of(client.get("/cy" + results_url(published_envelope)))

    assert "dictionary" not in english
    assert "The numbers are compared one digit at a time, from the left" in english
    assert "So idea 12 goes before idea 9, because its first digit, 1, is lower than 9." in english
    assert "Mae'r rhifau'n cael eu cymharu un digid ar y tro, o'r chwith" in welsh
