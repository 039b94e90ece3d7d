import logging
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from budgets.models import Round
from proposals.models import Proposal
from tests.accounts.factories import UserFactory
from tests.proposals.factories import ProposalFactory
from tests.voting.conftest import make_voting_envelope
from voting.keys import ballot_key
from voting.models import Ballot, Participation
from voting.rules import BallotRefused
from voting.services import ballot_cast, voter_code_redeem, voter_codes_generate

pytestmark = pytest.mark.django_db


def _cast(user, envelope, choices, key=None, **kwargs):
    return ballot_cast(
        user=user,
        envelope_id=envelope.pk,
        choices=choices,
        idempotency_key=key or uuid.uuid4(),
        **kwargs,
    )


def _stored(envelope):
    return {
        ballot.receipt: dict(ballot.choices.values_list("proposal__title", "points"))
        for ballot in Ballot.objects.filter(envelope=envelope)
    }


def test_a_resident_casts_a_ballot_and_gets_a_receipt(resident, envelope, on_ballot):
    result = _cast(resident, envelope, {on_ballot["Benches"]: 1, on_ballot["Play area"]: 1})
    assert result.replaced is False
    assert _stored(envelope) == {result.receipt: {"Benches": 1, "Play area": 1}}
    assert Participation.objects.get(envelope=envelope).voter == resident


def test_the_ballot_row_does_not_name_the_voter(resident, envelope, on_ballot):
    _cast(resident, envelope, {on_ballot["Benches"]: 1})
    ballot = Ballot.objects.get()
    assert {f.name for f in Ballot._meta.concrete_fields} == {
        "id",
        "envelope",
        "ballot_key",
        "receipt",
        "channel",
    }
    assert ballot.ballot_key == ballot_key(voter_id=resident.pk, envelope_id=envelope.pk)
    with override_settings(BALLOT_KEY_SECRET="a guess"):
        assert ballot.ballot_key != ballot_key(voter_id=resident.pk, envelope_id=envelope.pk)


def test_casting_again_replaces_the_ballot_and_keeps_the_receipt(resident, envelope, on_ballot):
    first = _cast(resident, envelope, {on_ballot["Benches"]: 1})
    second = _cast(resident, envelope, {on_ballot["Trees"]: 1})
    assert second.replaced is True
    assert second.receipt == first.receipt
    assert _stored(envelope) == {first.receipt: {"Trees": 1}}
    assert Participation.objects.count() == 1


def test_a_resent_submission_is_stored_once(resident, envelope, on_ballot):
    key = uuid.uuid4()
    first = _cast(resident, envelope, {on_ballot["Benches"]: 1}, key)
    again = _cast(resident, envelope, {on_ballot["Trees"]: 1}, key)
    assert again.duplicate is True
    assert again.receipt == first.receipt
    assert _stored(envelope) == {first.receipt: {"Benches": 1}}


def test_a_refused_ballot_leaves_the_earlier_one_as_it_was(resident, envelope, on_ballot):
    first = _cast(resident, envelope, {on_ballot["Benches"]: 1})
    with pytest.raises(BallotRefused, match="Your choices cost £45,000, which is £15,000 more"):
        _cast(resident, envelope, {pid: 1 for pid in on_ballot.values()})
    assert _stored(envelope) == {first.receipt: {"Benches": 1}}


def test_a_proposal_of_another_envelope_is_refused(resident, envelope, council):
    elsewhere = ProposalFactory(status=Proposal.Status.ON_BALLOT)
    with pytest.raises(BallotRefused, match="not on this ballot"):
        _cast(resident, envelope, {elsewhere.pk: 1})
    assert Ballot.objects.exists() is False


@pytest.mark.parametrize(
    "status", [Proposal.Status.FEASIBLE, Proposal.Status.NOT_FEASIBLE, Proposal.Status.WITHDRAWN]
)
def test_a_proposal_not_on_the_ballot_is_refused(resident, envelope, status):
    off_ballot = ProposalFactory(envelope=envelope, status=status, review_reason="Checked.")
    with pytest.raises(BallotRefused, match="not on this ballot"):
        _cast(resident, envelope, {off_ballot.pk: 1})


def test_an_unknown_proposal_is_refused(resident, envelope):
    with pytest.raises(BallotRefused, match="not on this ballot"):
        _cast(resident, envelope, {987654: 1})


@pytest.mark.parametrize(
    ("phase", "message"),
    [
        (Round.Phase.REVIEW, "Voting has not opened yet"),
        (Round.Phase.VOTING_CLOSED, "Voting has closed"),
    ],
)
def test_nothing_is_stored_outside_the_voting_phase(resident, envelope, on_ballot, phase, message):
    if phase == Round.Phase.PUBLISHED:
        # The database lets a round into "Published" only from "Counted".
        Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.COUNTED)
    Round.objects.filter(pk=envelope.round_id).update(phase=phase)
    with pytest.raises(ValidationError, match=message):
        _cast(resident, envelope, {on_ballot["Benches"]: 1})
    assert Ballot.objects.exists() is False


def test_after_voting_closes_an_earlier_ballot_cannot_change(resident, envelope, on_ballot):
    first = _cast(resident, envelope, {on_ballot["Benches"]: 1})
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    with pytest.raises(ValidationError, match="Voting has closed"):
        _cast(resident, envelope, {on_ballot["Trees"]: 1})
    assert _stored(envelope) == {first.receipt: {"Benches": 1}}


def test_a_resident_of_another_neighbourhood_is_refused(envelope, on_ballot):
    outsider = UserFactory(home_postcode="SW1A 1AA")
    with pytest.raises(ValidationError, match="SW1A 1AA, is not in Splott"):
        _cast(outsider, envelope, {on_ballot["Benches"]: 1})


def test_a_resident_without_a_postcode_is_asked_for_one(envelope, on_ballot):
    with pytest.raises(ValidationError, match="Add your home postcode"):
        _cast(UserFactory(home_postcode=""), envelope, {on_ballot["Benches"]: 1})


def test_a_voter_code_is_needed_when_the_round_says_so(resident, council):
    envelope = make_voting_envelope(council, requires_voter_code=True)
    choice = envelope.proposals.first().pk
    with pytest.raises(ValidationError, match="Enter the voter code"):
        _cast(resident, envelope, {choice: 1})
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=None).codes.get()
    voter_code_redeem(
        user=resident, envelope_id=envelope.pk, code=code.code.lower().replace("-", " ")
    )
    assert _cast(resident, envelope, {choice: 1}).receipt


def test_the_minimum_age_must_be_confirmed(resident, council):
    envelope = make_voting_envelope(council, minimum_age=16)
    choice = envelope.proposals.first().pk
    with pytest.raises(ValidationError, match="Confirm that you are 16 or older"):
        _cast(resident, envelope, {choice: 1})
    assert _cast(resident, envelope, {choice: 1}, age_confirmed=True).receipt


def test_k_approval_is_enforced(resident, council):
    envelope = make_voting_envelope(council, ballot_rule=Round.BallotRule.K_APPROVAL, max_choices=2)
    choices = dict.fromkeys(envelope.proposals.values_list("pk", flat=True), 1)
    with pytest.raises(BallotRefused, match="can choose up to 2. Untick 1."):
        _cast(resident, envelope, choices)


def test_cumulative_points_are_stored(resident, council):
    envelope = make_voting_envelope(
        council, ballot_rule=Round.BallotRule.CUMULATIVE, points_total=10, points_per_proposal_max=6
    )
    ids = list(envelope.proposals.order_by("title").values_list("pk", flat=True))
    result = _cast(resident, envelope, {ids[0]: 6, ids[1]: 4})
    assert _stored(envelope) == {result.receipt: {"Benches": 6, "Play area": 4}}
    with pytest.raises(BallotRefused, match="You gave 11 points but have 10"):
        _cast(resident, envelope, {ids[0]: 6, ids[1]: 5})


def test_a_changed_vote_keeps_moves_drops_and_adds_points(
    resident, council, django_assert_max_num_queries
):
    envelope = make_voting_envelope(
        council, ballot_rule=Round.BallotRule.CUMULATIVE, points_total=10, points_per_proposal_max=6
    )
    ids = list(envelope.proposals.order_by("title").values_list("pk", flat=True))
    first = _cast(resident, envelope, {ids[0]: 6, ids[1]: 4})
    # Benches keeps its points, Play area goes, Trees comes; then Benches changes.
    # The round held open, the envelope and the ideas (one round trip), the store with the
    # outbox, the choices (one statement); the savepoint's start and end.
    with django_assert_max_num_queries(5):
        second = _cast(resident, envelope, {ids[0]: 6, ids[2]: 3})
    assert second.replaced and second.receipt == first.receipt
    assert _stored(envelope) == {first.receipt: {"Benches": 6, "Trees": 3}}
    _cast(resident, envelope, {ids[0]: 2, ids[2]: 3})
    assert _stored(envelope) == {first.receipt: {"Benches": 2, "Trees": 3}}


def test_a_refused_ballot_is_logged_with_the_envelope_and_never_the_choices(
    resident, envelope, on_ballot, caplog
):
    caplog.set_level(logging.INFO, logger="voting.services")
    with pytest.raises(BallotRefused):
        _cast(resident, envelope, dict.fromkeys(on_ballot.values(), 1))
    [refused] = [r for r in caplog.records if getattr(r, "event", None) == "action.refused"]
    assert (refused.action, refused.envelope_id, refused.channel, refused.kind) == (
        "voting.ballot_cast",
        envelope.pk,
        "online",
        "BallotRefused",
    )
    assert all(str(pk) not in refused.getMessage() for pk in on_ballot.values())
    assert not hasattr(refused, "choices")
