import uuid

import pytest
from django.urls import reverse

from accounts.models import User
from voting.keys import ballot_key
from voting.models import Ballot, Participation
from voting.services import ballot_cast

pytestmark = pytest.mark.django_db


def _votes_for_trees(resident, envelope, on_ballot) -> str:
    """Cast the resident's ballot; returns the key that linked it to them."""
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Trees"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    return ballot_key(voter_id=resident.pk, envelope_id=envelope.pk)


def test_deleting_an_account_keeps_its_ballot_counted_but_linked_to_no_one(
    client, resident, envelope, on_ballot
):
    old_key = _votes_for_trees(resident, envelope, on_ballot)
    client.force_login(resident)

    response = client.post(reverse("accounts-delete"), {"confirm": "on"})

    assert response.status_code == 302
    assert User.objects.filter(pk=resident.pk).exists() is False
    ballot = Ballot.objects.get()
    assert list(ballot.choices.values_list("proposal__title", flat=True)) == ["Trees"]
    assert ballot.ballot_key != old_key
    assert Participation.objects.get().voter is None


def test_deletion_needs_the_box_ticked(client, resident):
    client.force_login(resident)
    response = client.post(reverse("accounts-delete"), {})
    assert "Tick the box to confirm" in response.content.decode()
    assert User.objects.filter(pk=resident.pk).exists() is True


def test_deleting_accounts_in_bulk_also_unlinks_their_ballots(resident, envelope, on_ballot):
    # An officer's bulk delete in the admin goes through a queryset, not the account page.
    old_key = _votes_for_trees(resident, envelope, on_ballot)

    User.objects.filter(pk=resident.pk).delete()

    ballot = Ballot.objects.get()
    assert ballot.ballot_key != old_key
    assert Participation.objects.get().voter is None
