from functools import partial

from celery import shared_task
from django.db import transaction

from config.celery import app


def start_after_commit(task_name: str, **kwargs) -> None:
    """The one way a service starts a task: by its registered name, once the current
    transaction commits. The worker then never reads rows that are not committed yet (or
    never will be), and services never import task modules, which import services."""
    transaction.on_commit(partial(app.send_task, task_name, kwargs=kwargs))


@shared_task(name="config.ping")
def ping() -> str:
    """A task that only a running worker can answer; /healthz uses it."""
    return "pong"
