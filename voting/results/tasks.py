"""Counting tasks: one per envelope, run as a group when a round's voting closes.

Each task only calls a service. ``acks_late`` (and the global ``reject_on_worker_lost``)
put the message back if a worker dies mid-count; the service's lock and stored outcome
make a rerun, a retry or a second trigger harmless.
"""

import logging
from collections.abc import Sequence
from typing import TypedDict

from celery import group, shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, close_old_connections

from config.events import record_refusal
from voting.results import services

logger = logging.getLogger(__name__)

RESUME_EVERY_SECONDS = settings.COUNT_RESUME_SECONDS


class Retries(TypedDict):
    acks_late: bool
    autoretry_for: Sequence[type[BaseException]]
    retry_backoff: int
    retry_backoff_max: int
    max_retries: int


RETRIES: Retries = {
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
    try:
        envelope_ids = services.round_count_start(round_id=round_id)
    except ValidationError as error:
        # Held (a paper ballot batch not checked, say): the officer is shown which, on the
        # station figures and paper ballot pages, and presses "Count now" once settled.
        record_refusal(logger, action="task.count_round", error=error, round_id=round_id)
        return []
    if envelope_ids:
        group(count_envelope.si(envelope_id) for envelope_id in envelope_ids).apply_async()
    return envelope_ids


@shared_task(name="voting.count_envelope", **RETRIES)
def count_envelope(envelope_id: int) -> int:
    close_old_connections()
    return services.envelope_count(envelope_id=envelope_id).pk


@shared_task(name="voting.resume_counts", ignore_result=True)
def resume_counts() -> list[int]:
    """Celery beat runs this every minute: counts lost with a worker that died (killed,
    out of memory, its machine gone) start again, so a round never waits on a lost count.
    A resent count that finds its envelope counted does nothing (exactly one outcome)."""
    close_old_connections()
    envelope_ids, finished_round_ids = services.counts_to_resume()
    for envelope_id in envelope_ids:
        # Expires before the next run, so a backlog never piles up copies of a message.
        count_envelope.apply_async((envelope_id,), expires=RESUME_EVERY_SECONDS)
    for round_id in finished_round_ids:
        services.round_finish_count(round_id=round_id)
    return envelope_ids
