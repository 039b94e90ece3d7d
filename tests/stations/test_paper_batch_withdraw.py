"""An officer withdraws a paper ballot batch (issue 17): in the service, and from the
batch's page in the admin, with a confirmation, a reason and a history entry."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.models import Round
from stations import paper
from stations.paper_models import PaperBatch
from tests.stations import test_paper_ballots as paper_tests
from voting.models import Ballot

pytestmark = pytest.mark.django_db

# The paper ballot tests' batch, second keyer and way of keying a batch.
second_staff = paper_tests.second_staff
batch = paper_tests.batch
key = paper_tests.key


def test_nothing_more_is_keyed_in_a_withdrawn_batch(batch, anchor_staff, officer, on_ballot):
    paper.keying_start(batch_id=batch.pk, user=anchor_staff)
    paper.batch_withdraw(batch_id=batch.pk, officer=officer, reason="Papers lost.")
    with pytest.raises(ValidationError, match="has been withdrawn"):
        paper.paper_enter(
            batch_id=batch.pk, user=anchor_staff, position=1, choices={on_ballot["Trees"]: 1}
        )
    batch.refresh_from_db()
    assert batch.status == PaperBatch.Status.WITHDRAWN
    assert batch.decision_note == "Papers lost."
    assert batch.decided_by == officer


def test_a_checked_batch_cannot_be_withdrawn(batch, anchor_staff, second_staff, officer, on_ballot):
    papers = [{on_ballot["Trees"]: 1}] * 3
    key(batch, anchor_staff, papers)
    key(batch, second_staff, papers)
    with pytest.raises(ValidationError, match="settled already"):
        paper.batch_withdraw(batch_id=batch.pk, officer=officer, reason="Changed my mind.")
    assert Ballot.objects.count() == 3


def test_a_batch_cannot_be_withdrawn_once_voting_has_moved_on_to_the_count(
    batch,
    officer,
    envelope,
):
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.COUNTED)
    with pytest.raises(ValidationError, match="has been counted"):
        paper.batch_withdraw(batch_id=batch.pk, officer=officer, reason="Too late.")


def _withdraw_url(batch):
    return reverse("admin:stations_paperbatch_withdraw", args=[batch.pk])


def test_the_batch_page_offers_withdrawal_only_while_it_is_not_settled(officer_client, batch):
    page = officer_client.get(reverse("admin:stations_paperbatch_change", args=[batch.pk]))
    assert _withdraw_url(batch) in page.content.decode()
    PaperBatch.objects.filter(pk=batch.pk).update(
        status=PaperBatch.Status.CHECKED, checked_at=batch.created_at
    )
    page = officer_client.get(reverse("admin:stations_paperbatch_change", args=[batch.pk]))
    assert _withdraw_url(batch) not in page.content.decode()


def test_an_officer_withdraws_a_batch_with_a_reason_and_it_is_in_its_history(
    officer_client,
    batch,
    officer,
    envelope,
):
    confirm = officer_client.get(_withdraw_url(batch))
    assert "none of its papers are counted" in confirm.content.decode()
    assert PaperBatch.objects.get().status == PaperBatch.Status.KEYING

    empty = officer_client.post(_withdraw_url(batch), {"reason": " "})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    assert PaperBatch.objects.get().status == PaperBatch.Status.KEYING

    done = officer_client.post(_withdraw_url(batch), {"reason": "Started twice."}, follow=True)
    assert "none of its papers will be counted" in done.content.decode()
    withdrawn = PaperBatch.objects.get()
    assert withdrawn.status == PaperBatch.Status.WITHDRAWN
    assert withdrawn.decision_note == "Started twice."
    assert paper.round_paper_holds(envelope.round_id) == []
    entry = LogEntry.objects.get(object_id=str(batch.pk))
    assert entry.user == officer
    assert "Started twice." in entry.get_change_message()


def test_a_refusal_from_the_service_is_shown_on_the_page(officer_client, batch, envelope):
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.COUNTED)
    response = officer_client.post(_withdraw_url(batch), {"reason": "Too late."})
    assert response.status_code == 200
    assert "has been counted" in response.content.decode()
    assert PaperBatch.objects.get().status == PaperBatch.Status.KEYING


def test_another_council_s_officer_cannot_withdraw(outsider_client, batch):
    response = outsider_client.post(_withdraw_url(batch), {"reason": "Not mine."})
    assert response.status_code in (302, 404)
    assert PaperBatch.objects.get().status == PaperBatch.Status.KEYING
