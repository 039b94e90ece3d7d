"""One person, one ballot, under real concurrency on PostgreSQL."""

import uuid

import pytest

from tests.accounts.factories import UserFactory
from tests.concurrency import run_at_once
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot, BallotChoice, Participation
from voting.services import ballot_cast

pytestmark = pytest.mark.django_db(transaction=True)
SUBMISSIONS = 50


def test_fifty_simultaneous_submissions_by_one_voter_store_one_ballot(council, resident):
    envelope = make_voting_envelope(council)
    proposals = list(envelope.proposals.values_list("pk", flat=True))

    def submit(i):
        return lambda: ballot_cast(
            user=resident,
            envelope_id=envelope.pk,
            choices={proposals[i % 3]: 1},
            idempotency_key=uuid.uuid4(),
        )

    results = run_at_once([submit(i) for i in range(SUBMISSIONS)])

    assert Ballot.objects.count() == 1
    assert Participation.objects.count() == 1
    assert BallotChoice.objects.count() == 1
    assert {r.receipt for r in results} == {Ballot.objects.get().receipt}
    assert sum(1 for r in results if not r.replaced) == 1


def test_the_same_submission_sent_fifty_times_at_once_is_stored_once(council, resident):
    envelope = make_voting_envelope(council)
    choice = envelope.proposals.first().pk
    key = uuid.uuid4()
    results = run_at_once(
        [
            lambda: ballot_cast(
                user=resident, envelope_id=envelope.pk, choices={choice: 1}, idempotency_key=key
            )
            for _ in range(SUBMISSIONS)
        ]
    )
    assert sum(1 for r in results if not r.duplicate) == 1
    assert Ballot.objects.count() == 1


def test_fifty_voters_at_once_store_fifty_ballots(council):
    envelope = make_voting_envelope(council)
    choice = envelope.proposals.first().pk
    voters = [UserFactory(home_postcode="CF24 2AB") for _ in range(SUBMISSIONS)]

    results = run_at_once(
        [
            (
                lambda voter=voter: ballot_cast(
                    user=voter,
                    envelope_id=envelope.pk,
                    choices={choice: 1},
                    idempotency_key=uuid.uuid4(),
                )
            )
            for voter in voters
        ]
    )

    assert Ballot.objects.count() == SUBMISSIONS
    assert Participation.objects.count() == SUBMISSIONS
    assert len({r.receipt for r in results}) == SUBMISSIONS
