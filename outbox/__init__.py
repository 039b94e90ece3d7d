"""A transactional outbox: side effects (emails, notices) written in the same database
transaction as the change that causes them, and carried out afterwards by Celery.

A request never talks to the broker, so a Redis outage cannot fail or slow it; a message
whose transaction rolls back never exists; a failed send is retried with backoff.
Delivery is at least once: a worker killed between sending and recording it sends again.
"""

from outbox.registry import handler


def enqueue(kind: str, **payload) -> None:
    """Inside the transaction that causes it: record a side effect to carry out once the
    transaction commits. ``payload`` must be JSON (ids, not objects)."""
    from outbox.services import enqueue as write

    write(kind, **payload)


def enqueue_sql(select: str) -> str:
    """``enqueue`` inside another statement (see outbox.services.enqueue_sql)."""
    from outbox.services import enqueue_sql as sql

    return sql(select)


__all__ = ["enqueue", "enqueue_sql", "handler"]
