import json
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from outbox.models import Message
from outbox.registry import HANDLERS

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about a day and a half of backoff in all
BATCH = 50


def enqueue(kind: str, **payload) -> None:
    """Inside the transaction that causes it: record a side effect to carry out once the
    transaction commits. ``payload`` must be JSON (ids, not objects)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.enqueue must run inside the transaction it belongs to")
    # Plain SQL: every ballot cast writes one, and the ORM's building of an insert cost
    # more CPU than the cast's other statements.
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{Message._meta.db_table}" (kind, payload, created_at, attempts, '
            "next_attempt_at, last_error) VALUES (%s, %s::jsonb, %s, 0, %s, '')",
            [kind, json.dumps(payload), now, now],
        )


def enqueue_sql(select: str) -> str:
    """``enqueue`` as SQL, for a statement that makes a change and records its side
    effect at once (a data-modifying WITH), saving the round trip of a statement of its
    own: an INSERT of a message for each row of ``select``, whose columns are the
    message's kind, its payload (jsonb) and the time it was written."""
    return (
        f'INSERT INTO "{Message._meta.db_table}" (kind, payload, created_at, attempts, '
        "next_attempt_at, last_error) SELECT message.kind, message.payload, message.written, "
        f"0, message.written, '' FROM ({select}) AS message(kind, payload, written)"
    )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts * 5, 6 * 3600))


def deliver_due(*, now=None, limit: int = BATCH) -> int:
    """Carry out due messages, each in its own transaction with its row locked (workers
    running side by side skip each other's). Returns how many were sent."""
    sent = 0
    for _ in range(limit):
        outcome = _deliver_one(now or timezone.now())
        if outcome is None:
            break
        sent += outcome
    return sent


@transaction.atomic
def _deliver_one(now) -> bool | None:
    message = (
        Message.objects.select_for_update(skip_locked=True)
        .filter(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .first()
    )
    if message is None:
        return None
    message.attempts += 1
    try:
        with transaction.atomic():
            HANDLERS[message.kind](**message.payload)
    except Exception as error:  # any failure of a side effect is retried, then recorded
        logger.warning("outbox %s failed (attempt %s): %r", message, message.attempts, error)
        message.last_error = repr(error)[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.failed_at = now
        else:
            message.next_attempt_at = now + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "failed_at", "next_attempt_at"])
        return False
    message.sent_at = timezone.now()
    message.save(update_fields=["attempts", "sent_at"])
    logger.info("outbox %s sent", message)
    return True
