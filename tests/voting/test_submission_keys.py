"""A form's submission key belongs to the envelope and the voter it was made for."""

import uuid

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.voting.conftest import add_riverside
from voting.models import Ballot, SubmissionKey
from voting.services import SubmissionRefused, ballot_cast

pytestmark = pytest.mark.django_db


def _post(client, envelope, choices, key):
    url = reverse("voting-ballot", kwargs={"envelope_id": envelope.pk})
    return client.post(url, {"choice": [str(c) for c in choices], "submission": str(key)})


def _choices(envelope):
    return dict(
        Ballot.objects.get(envelope=envelope).choices.values_list("proposal__title", "points")
    )


def test_the_same_form_sent_again_is_stored_once_and_shows_the_receipt(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    key = uuid.uuid4()
    first = _post(client, envelope, [on_ballot["Trees"]], key)
    again = _post(client, envelope, [on_ballot["Trees"]], key)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("voting-receipt", kwargs={"envelope_id": envelope.pk})
    assert _choices(envelope) == {"Trees": 1}
    assert SubmissionKey.objects.count() == 1


def test_another_voters_key_is_refused_plainly_and_changes_nothing(
    client, resident, envelope, on_ballot
):
    # The back button on a shared tablet: the next resident sends the form of the last.
    client.force_login(resident)
    key = uuid.uuid4()
    _post(client, envelope, [on_ballot["Trees"]], key)
    neighbour = UserFactory(home_postcode="CF24 2AB")
    client.force_login(neighbour)
    response = _post(client, envelope, [on_ballot["Benches"]], key)
    assert response.status_code == 400
    assert "This form belongs to another ballot, so nothing was sent" in response.content.decode()
    assert Ballot.objects.count() == 1
    assert _choices(envelope) == {"Trees": 1}


def test_another_voters_key_is_refused_even_when_they_have_a_ballot(
    client, resident, envelope, on_ballot
):
    neighbour = UserFactory(home_postcode="CF24 2AB")
    ballot_cast(
        user=neighbour,
        envelope_id=envelope.pk,
        choices={on_ballot["Play area"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    key = uuid.uuid4()
    client.force_login(resident)
    _post(client, envelope, [on_ballot["Trees"]], key)
    client.force_login(neighbour)
    response = _post(client, envelope, [on_ballot["Benches"]], key)
    assert response.status_code == 400
    assert "Your earlier vote still stands" in response.content.decode()
    stored = {
        tuple(b.choices.values_list("proposal__title", flat=True)) for b in Ballot.objects.all()
    }
    assert stored == {("Play area",), ("Trees",)}


def test_a_key_from_another_envelope_is_refused(client, resident, envelope, on_ballot):
    riverside = add_riverside(envelope)
    neighbour = UserFactory(home_postcode="CF10 5AL")
    key = uuid.uuid4()
    ballot_cast(
        user=neighbour,
        envelope_id=riverside.pk,
        choices={riverside.proposals.get().pk: 1},
        idempotency_key=key,
    )
    client.force_login(resident)
    response = _post(client, envelope, [on_ballot["Trees"]], key)
    assert response.status_code == 400
    assert "belongs to another ballot" in response.content.decode()
    assert Ballot.objects.filter(envelope=envelope).exists() is False


def test_the_service_refuses_a_foreign_key(resident, envelope, on_ballot):
    key = uuid.uuid4()
    other = UserFactory(home_postcode="CF24 2AB")
    ballot_cast(
        user=other, envelope_id=envelope.pk, choices={on_ballot["Trees"]: 1}, idempotency_key=key
    )
    with pytest.raises(SubmissionRefused):
        ballot_cast(
            user=resident,
            envelope_id=envelope.pk,
            choices={on_ballot["Trees"]: 1},
            idempotency_key=key,
        )


def test_a_resend_after_voting_closed_still_shows_the_receipt(
    client, resident, envelope, on_ballot
):
    from budgets.models import Round

    client.force_login(resident)
    key = uuid.uuid4()
    _post(client, envelope, [on_ballot["Trees"]], key)
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    response = _post(client, envelope, [on_ballot["Trees"]], key)
    assert response.status_code == 302
    assert _choices(envelope) == {"Trees": 1}


def test_the_key_table_cannot_tell_whose_key_it_was(resident, envelope, on_ballot):
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Trees"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    assert {f.name for f in SubmissionKey._meta.concrete_fields} == {"id", "key", "owner"}
    owner = SubmissionKey.objects.get().owner
    assert owner != Ballot.objects.get().ballot_key and len(owner) == 64
