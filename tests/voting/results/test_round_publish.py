import pytest
from django.core.exceptions import ValidationError

from budgets.models import Round
from proposals.models import Proposal
from tests.voting.results.factories import every_envelope
from voting.results.services import envelope_count, round_publish


def test_it_marks_proposals_funded_and_not_funded(closed_envelope):
    envelope_count(envelope_id=closed_envelope.pk)

    round_publish(
        round_id=closed_envelope.round_id,
        few_ballots_accepted=every_envelope(closed_envelope.round_id),
    )

    statuses = dict(Proposal.objects.values_list("title", "status"))
    assert statuses == {
        "Park benches": Proposal.Status.FUNDED,
        "Youth club": Proposal.Status.FUNDED,
        "Street art": Proposal.Status.NOT_FUNDED,
    }


def test_it_publishes_the_round_and_its_outcomes(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)

    round_ = round_publish(
        round_id=closed_envelope.round_id,
        few_ballots_accepted=every_envelope(closed_envelope.round_id),
    )

    outcome.refresh_from_db()
    assert round_.phase == Round.Phase.PUBLISHED
    assert outcome.published_at is not None


def test_it_keeps_each_status_change_in_the_audit_trail(closed_envelope):
    envelope_count(envelope_id=closed_envelope.pk)

    round_publish(
        round_id=closed_envelope.round_id,
        few_ballots_accepted=every_envelope(closed_envelope.round_id),
    )

    benches = closed_envelope.proposals_by_title["benches"]
    assert benches.history.latest().status == Proposal.Status.FUNDED


def test_it_refuses_a_round_not_yet_counted(closed_envelope):
    with pytest.raises(ValidationError, match="Only a counted round can be published"):
        round_publish(
            round_id=closed_envelope.round_id,
            few_ballots_accepted=every_envelope(closed_envelope.round_id),
        )

    assert Proposal.objects.filter(status=Proposal.Status.ON_BALLOT).count() == 3


def test_it_refuses_a_few_ballots_nobody_accepted_showing(closed_envelope, settings):
    settings.FEW_BALLOTS_THRESHOLD = 10
    envelope_count(envelope_id=closed_envelope.pk)
    with pytest.raises(ValidationError, match="fewer than 10 ballots"):
        round_publish(round_id=closed_envelope.round_id)
    closed_envelope.round.refresh_from_db()
    assert closed_envelope.round.phase == Round.Phase.COUNTED


def test_a_round_published_automatically_waits_for_an_officer_when_ballots_are_few(
    closed_envelope, settings
):
    Round.objects.filter(pk=closed_envelope.round_id).update(publish_automatically=True)
    settings.FEW_BALLOTS_THRESHOLD = 10
    envelope_count(envelope_id=closed_envelope.pk)
    closed_envelope.round.refresh_from_db()
    assert closed_envelope.round.phase == Round.Phase.COUNTED
    assert Proposal.objects.filter(status=Proposal.Status.ON_BALLOT).count() == 3
