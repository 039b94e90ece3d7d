"""One person, one ballot per round, whatever they do to their postcode."""

import threading
import uuid

import psycopg
import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone

from outbox.models import Message
from tests.database import database_url, lock_waiters
from tests.voting.conftest import add_riverside, make_voting_envelope
from tests.waiting import wait_for
from voting import services
from voting.models import Ballot, Participation
from voting.services import ballot_cast

ELSEWHERE = "You have already voted in Splott Decides, for Splott."


def _cast(user, envelope, choices):
    return ballot_cast(
        user=user, envelope_id=envelope.pk, choices=choices, idempotency_key=uuid.uuid4()
    )


def _post(client, envelope):
    choice = envelope.proposals.first().pk
    url = reverse("voting-ballot", kwargs={"envelope_id": envelope.pk})
    return client.post(url, {"choice": [choice], "submission": str(uuid.uuid4())})


@pytest.mark.django_db
def test_moving_to_another_neighbourhood_does_not_give_a_second_vote(client, resident, envelope):
    riverside = add_riverside(envelope)
    client.force_login(resident)
    assert _post(client, envelope).status_code == 302

    resident.home_postcode = "CF10 5AL"  # "Your details": moved to Riverside
    resident.save()
    page = client.get(reverse("voting-ballot", kwargs={"envelope_id": riverside.pk}))
    assert ELSEWHERE in page.content.decode()
    assert "Send my vote" not in page.content.decode()
    refused = _post(client, riverside)
    assert refused.status_code == 403
    assert ELSEWHERE in refused.content.decode()
    assert Ballot.objects.filter(envelope=riverside).exists() is False

    # They can still change their vote where they first voted, and only there.
    assert _post(client, envelope).status_code == 302
    resident.home_postcode = "CF24 2AB"
    resident.save()
    assert Participation.objects.get().envelope == envelope
    assert Ballot.objects.count() == 1


@pytest.mark.django_db
def test_the_database_allows_one_register_row_per_voter_per_round(resident, envelope):
    riverside = add_riverside(envelope)
    row = {"round_id": envelope.round_id, "voter": resident, "voted_on": timezone.localdate()}
    Participation.objects.create(envelope=envelope, **row)
    with pytest.raises(IntegrityError):
        Participation.objects.create(envelope=riverside, **row)


@pytest.mark.django_db
def test_another_round_is_another_vote(resident, council, envelope):
    later = make_voting_envelope(council)
    _cast(resident, envelope, {envelope.proposals.first().pk: 1})
    _cast(resident, later, {later.proposals.first().pk: 1})
    assert Participation.objects.filter(voter=resident).count() == 2


@pytest.mark.django_db
def test_voters_without_accounts_are_registered_without_limit(envelope):
    row = {"round_id": envelope.round_id, "envelope": envelope, "voted_on": timezone.localdate()}
    Participation.objects.create(channel="paper", **row)
    Participation.objects.create(channel="paper", **row)
    assert Participation.objects.filter(voter=None).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_casts_in_two_envelopes_at_once_leave_one_ballot(council, resident, monkeypatch):
    """The first cast is held once its statement has stored the ballot and put the voter
    on the register, before it commits; the postcode then changes and a cast in Riverside
    starts. It must wait for the first and then be refused."""
    envelope = make_voting_envelope(council)
    riverside = add_riverside(envelope)
    results = {}
    registered, release = threading.Event(), threading.Event()
    store = services._store_ballot

    def store_and_hold(target, *args):
        row = store(target, *args)
        if target.pk == envelope.pk:
            registered.set()
            release.wait(60)
        return row

    monkeypatch.setattr(services, "_store_ballot", store_and_hold)

    def cast(name, target):
        try:
            results[name] = _cast(resident, target, {target.proposals.first().pk: 1})
        except Exception as error:
            results[name] = error
        finally:
            connection.close()

    with psycopg.connect(database_url(), autocommit=True) as watcher:
        first = threading.Thread(target=cast, args=("splott", envelope))
        first.start()
        assert registered.wait(60), "the first cast to be held"

        resident.home_postcode = "CF10 5AL"
        resident.save()
        second = threading.Thread(target=cast, args=("riverside", riverside))
        second.start()
        # Its register line waits for the first cast's uncommitted one.
        wait_for(lambda: lock_waiters(watcher, "transactionid"), message="the second cast to wait")
        release.set()
        first.join(60)
        second.join(60)

    assert results["splott"].receipt
    assert ELSEWHERE in " ".join(results["riverside"].messages)
    assert list(Ballot.objects.values_list("envelope_id", flat=True)) == [envelope.pk]
    assert list(Participation.objects.values_list("envelope_id", flat=True)) == [envelope.pk]
    # The refused cast's confirmation, written by its store statement, went with it.
    assert [m.payload["envelope_id"] for m in Message.objects.all()] == [envelope.pk]


@pytest.mark.django_db
def test_your_details_says_what_changing_the_postcode_does(client, resident):
    client.force_login(resident)
    html = client.get(reverse("accounts-profile")).content.decode()
    assert "changing your postcode does not let you vote somewhere else in the same round" in html


@pytest.mark.django_db
def test_after_voting_another_neighbourhood_points_to_the_vote_instead_of_vote_now(
    client, resident, envelope
):
    """Trial item 11: the new neighbourhood's page offers no "Vote now" for the round, says
    where they voted and links to that ballot; so does the "cannot vote here" page."""
    riverside = add_riverside(envelope)
    client.force_login(resident)
    assert _post(client, envelope).status_code == 302
    resident.home_postcode = "CF10 5AL"
    resident.save()

    splott_ballot = reverse("voting-ballot", kwargs={"envelope_id": envelope.pk})
    riverside_ballot = reverse("voting-ballot", kwargs={"envelope_id": riverside.pk})
    page = client.get(riverside.neighbourhood.get_absolute_url()).content.decode()
    assert "Vote now" not in page
    assert riverside_ballot not in page
    assert "You have voted in this round, for Splott." in page
    assert f'href="{splott_ballot}">Change your vote for Splott' in page

    refusal = client.get(riverside_ballot).content.decode()
    assert f'href="{splott_ballot}">Change your vote for Splott' in refusal


@pytest.mark.django_db
def test_a_vote_given_in_person_elsewhere_offers_no_change_link(client, resident, envelope):
    riverside = add_riverside(envelope)
    Participation.objects.create(
        round_id=envelope.round_id,
        envelope=envelope,
        voter=resident,
        channel="paper",
        voted_on=timezone.localdate(),
    )
    resident.home_postcode = "CF10 5AL"
    resident.save()
    client.force_login(resident)
    page = client.get(riverside.neighbourhood.get_absolute_url()).content.decode()
    assert "Vote now" not in page and "You have voted in this round, for Splott." in page
    assert "Change your vote for Splott" not in page


@pytest.mark.django_db
def test_the_cannot_vote_page_reads_where_they_voted_once(
    client, resident, envelope, django_assert_max_num_queries
):
    riverside = add_riverside(envelope)
    client.force_login(resident)
    assert _post(client, envelope).status_code == 302
    resident.home_postcode = "CF10 5AL"
    resident.save()

    # Session, user, the envelope with the voter's facts, and the envelope they voted in:
    # the refusal and its "Change your vote" link share that one read.
    with django_assert_max_num_queries(4):
        page = client.get(reverse("voting-ballot", kwargs={"envelope_id": riverside.pk}))
    html = page.content.decode()
    assert ELSEWHERE in html
    assert "Change your vote for Splott" in html
