"""Officers read every envelope's results in the admin before publishing them."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from budgets.models import Round
from proposals.models import Proposal
from tests.voting.results.factories import ClosedEnvelopeFactory, OnBallotProposalFactory, cast
from voting.results.models import EnvelopeCount
from voting.results.services import envelope_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(council):
    envelope = ClosedEnvelopeFactory(
        round__fund__council=council, round__counting_rule="greedy", amount_pence=10_000_00
    )
    benches = OnBallotProposalFactory(envelope=envelope, title="Benches", cost_pence=4_000_00)
    pool = OnBallotProposalFactory(envelope=envelope, title="Pool", cost_pence=9_000_00)
    cast(envelope, benches)
    cast(envelope, benches, pool)
    envelope_count(envelope_id=envelope.pk)
    return envelope


def test_the_review_shows_each_proposal_and_the_money_left(officer_client, counted):
    url = reverse("admin:voting_round_results", args=[counted.round_id])
    html = officer_client.get(url).content.decode()
    assert "2 ballots counted. The envelope holds £10,000; the funded proposals cost £4,000" in html
    assert "leaving £6,000" in html
    assert "Benches" in html and "Pool" in html
    assert "Publish these results" in html
    assert "residents see these results straight away" in html


def test_the_review_page_has_a_bounded_number_of_queries(
    officer_client, counted, django_assert_max_num_queries
):
    url = reverse("admin:voting_round_results", args=[counted.round_id])
    with django_assert_max_num_queries(15):
        assert officer_client.get(url).status_code == 200


def test_publishing_from_the_review_makes_proposals_funded(officer_client, counted):
    officer_client.post(
        reverse("admin:voting_round_publish", args=[counted.round_id]),
        {"few_ballots_accepted": [counted.pk]},
    )
    counted.round.refresh_from_db()
    assert counted.round.phase == Round.Phase.PUBLISHED
    statuses = dict(Proposal.objects.filter(envelope=counted).values_list("title", "status"))
    assert statuses == {"Benches": "funded", "Pool": "not_funded"}
    # Published: the warning that asked for the tick is gone with the tick.
    after = officer_client.get(reverse("admin:voting_round_results", args=[counted.round_id]))
    assert "Only 2 ballots here" not in after.content.decode()
    assert "2 ballots counted" in after.content.decode()


def test_the_review_warns_that_a_few_ballots_show_how_those_people_voted(officer_client, counted):
    html = officer_client.get(
        reverse("admin:voting_round_results", args=[counted.round_id])
    ).content.decode()
    assert "Only 2 ballots here, fewer than 10" in html
    assert "anyone who knows who voted here can see how those few people voted" in html
    assert f'name="few_ballots_accepted" value="{counted.pk}"' in html


def test_publishing_a_few_ballots_without_the_tick_is_refused(officer_client, counted):
    response = officer_client.post(
        reverse("admin:voting_round_publish", args=[counted.round_id]), follow=True
    )
    assert "fewer than 10 ballots" in response.content.decode()
    counted.round.refresh_from_db()
    assert counted.round.phase == Round.Phase.COUNTED
    assert not EnvelopeCount.objects.filter(published_at__isnull=False).exists()


def test_enough_ballots_need_no_tick_and_get_no_warning(officer_client, counted, settings):
    settings.FEW_BALLOTS_THRESHOLD = 2
    url = reverse("admin:voting_round_results", args=[counted.round_id])
    assert "few_ballots_accepted" not in officer_client.get(url).content.decode()
    officer_client.post(reverse("admin:voting_round_publish", args=[counted.round_id]))
    counted.round.refresh_from_db()
    assert counted.round.phase == Round.Phase.PUBLISHED


def test_another_council_cannot_open_or_publish_it(outsider_client, counted):
    assert (
        outsider_client.get(
            reverse("admin:voting_round_results", args=[counted.round_id])
        ).status_code
        == 404
    )
    outsider_client.post(reverse("admin:voting_round_publish", args=[counted.round_id]))
    counted.round.refresh_from_db()
    assert counted.round.phase == Round.Phase.COUNTED


def test_a_stored_count_cannot_be_changed_or_deleted(counted):
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        EnvelopeCount.objects.filter(envelope=counted).update(total_cost_pence=0)
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        EnvelopeCount.objects.filter(envelope=counted).delete()
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        counted.outcome.proposal_results.update(funded=True)
