"""The officers' "Count now" and "Review and publish results" actions on the list of rounds."""

import time

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from budgets.models import Round
from proposals.models import Proposal
from voting.results.models import EnvelopeCount
from voting.results.services import envelope_count


def _act(client, action, round_):
    return client.post(
        reverse("admin:budgets_round_changelist"),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [round_.pk]},
        follow=True,
    )


@pytest.mark.celery_worker
def test_count_now_counts_the_round_through_the_worker(
    celery_worker, officer_client, closed_envelope
):
    response = _act(officer_client, "count_now_action", closed_envelope.round)
    assert "Counting started" in response.content.decode()
    for _ in range(100):
        if EnvelopeCount.objects.filter(envelope=closed_envelope).exists():
            break
        time.sleep(0.1)
    assert EnvelopeCount.objects.filter(envelope=closed_envelope).count() == 1


def _publish(client, round_):
    """Publish, ticking that the test round's few voters may be shown."""
    accepted = list(round_.envelopes.values_list("pk", flat=True))
    return client.post(
        reverse("admin:voting_round_publish", args=[round_.pk]),
        {"few_ballots_accepted": accepted},
        follow=True,
    )


def test_publish_results_opens_the_review_and_publishing_is_confirmed_there(
    officer_client, closed_envelope
):
    envelope_count(envelope_id=closed_envelope.pk)
    response = _act(officer_client, "publish_results_action", closed_envelope.round)
    assert "Results of “Riverton Decides”" in response.content.decode()
    closed_envelope.round.refresh_from_db()
    assert closed_envelope.round.phase == Round.Phase.COUNTED

    response = _publish(officer_client, closed_envelope.round)

    assert "are published: residents can see them now" in response.content.decode()
    closed_envelope.round.refresh_from_db()
    assert closed_envelope.round.phase == Round.Phase.PUBLISHED
    assert Proposal.objects.filter(status=Proposal.Status.FUNDED).count() == 2


def test_publishing_an_uncounted_round_shows_why_and_changes_nothing(
    officer_client, closed_envelope
):
    response = _publish(officer_client, closed_envelope.round)
    assert "are published" not in response.content.decode()
    assert "Only a counted round can be published" in response.content.decode()
    closed_envelope.round.refresh_from_db()
    assert closed_envelope.round.phase == Round.Phase.VOTING_CLOSED


def test_another_councils_officer_cannot_act_on_the_round(outsider_client, closed_envelope):
    envelope_count(envelope_id=closed_envelope.pk)
    _act(outsider_client, "publish_results_action", closed_envelope.round)
    closed_envelope.round.refresh_from_db()
    assert closed_envelope.round.phase != Round.Phase.PUBLISHED
