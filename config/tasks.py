import logging
from functools import partial

from celery import shared_task
from django.db import transaction

from config.celery import app

logger = logging.getLogger(__name__)


def start_after_commit(task_name: str, **kwargs) -> None:
    """The one way a service starts a task: by its registered name, once the current
    transaction commits. The worker then never reads rows that are not committed yet (or
    never will be), and services never import task modules, which import services.

    A broker that is down never undoes or fails the committed change: the failure is
    logged, and work that must not be lost has its own resend (counts: the count-resuming
    beat job; voting's emails go through the outbox instead)."""
    transaction.on_commit(partial(_send, task_name, kwargs), robust=True)


def _send(task_name: str, kwargs: dict) -> None:
    try:
        app.send_task(task_name, kwargs=kwargs, ignore_result=True, retry=False)
    except Exception:  # the broker's errors vary by transport; none may fail the change
        logger.warning(
            "could not send %s",
            task_name,
            extra={"event": "task.not_sent", "task": task_name, **kwargs},
        )


@shared_task(name="config.ping")
def ping() -> str:
    """A task that only a running worker can answer; /healthz uses it."""
    return "pong"
