"""The outbox: written in the caller's transaction, delivered once, failures retried."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

import outbox
from outbox.models import Message
from outbox.registry import HANDLERS
from outbox.services import MAX_ATTEMPTS, deliver_due

pytestmark = pytest.mark.django_db
calls = []


@pytest.fixture(autouse=True)
def _test_handlers():
    calls.clear()

    def record(**payload):
        calls.append(payload)

    def fail(**payload):
        raise OSError("the mail server did not answer")

    HANDLERS["test.record"], HANDLERS["test.fail"] = record, fail
    yield
    del HANDLERS["test.record"], HANDLERS["test.fail"]


def test_a_message_is_delivered_once(db):
    with transaction.atomic():
        outbox.enqueue("test.record", n=1)
    assert deliver_due() == 1
    assert deliver_due() == 0
    assert calls == [{"n": 1}]
    assert Message.objects.get().sent_at is not None


def test_each_delivery_is_logged_and_an_empty_round_is_silent(db, caplog):
    caplog.set_level("INFO", logger="outbox.services")
    assert deliver_due() == 0
    assert caplog.records == []
    with transaction.atomic():
        outbox.enqueue("test.record", n=1)
    deliver_due()
    assert [r.getMessage() for r in caplog.records] == [
        f"outbox test.record #{Message.objects.get().pk} sent"
    ]


def test_a_message_of_a_rolled_back_transaction_never_exists(db):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbox.enqueue("test.record", n=1)
        1 / 0  # noqa: B018
    assert Message.objects.exists() is False


def test_it_must_be_written_inside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox.enqueue("test.record", n=1)


def test_a_failed_send_is_retried_later_and_recorded(db):
    with transaction.atomic():
        outbox.enqueue("test.fail")
    assert deliver_due() == 0
    message = Message.objects.get()
    assert message.attempts == 1
    assert message.sent_at is None and message.failed_at is None
    assert "did not answer" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert deliver_due() == 0  # not due yet
    assert Message.objects.get().attempts == 1


def test_a_message_that_keeps_failing_is_given_up_and_kept(db):
    with transaction.atomic():
        outbox.enqueue("test.fail")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver_due(now=timezone.now() + timedelta(days=attempt))
    message = Message.objects.get()
    assert message.attempts == MAX_ATTEMPTS
    assert message.failed_at is not None
    assert deliver_due(now=timezone.now() + timedelta(days=60)) == 0
