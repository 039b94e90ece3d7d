"""Counting tasks: one per envelope, run as a group when a round's voting closes.

Each task only calls a service. ``acks_late`` (and the global ``reject_on_worker_lost``)
put the message back if a worker dies mid-count; the service's lock and stored outcome
make a rerun, a retry or a second trigger harmless.
"""

from celery import group, shared_task
from django.db import InterfaceError, OperationalError, close_old_connections

from voting.results import services

RETRIES = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "max_retries": 8,
}


@shared_task(name="voting.count_round", **RETRIES)
def count_round(round_id: int) -> list[int]:
    """Start one counting task per envelope not yet counted."""
    # A connection killed during an earlier attempt must not be reused.
    close_old_connections()
    envelope_ids = services.round_count_start(round_id=round_id)
    if envelope_ids:
        group(count_envelope.si(envelope_id) for envelope_id in envelope_ids).apply_async()
    return envelope_ids


@shared_task(name="voting.count_envelope", **RETRIES)
def count_envelope(envelope_id: int) -> int:
    close_old_connections()
    return services.envelope_count(envelope_id=envelope_id).pk
