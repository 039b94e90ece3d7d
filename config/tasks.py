from celery import shared_task


@shared_task(name="config.ping")
def ping() -> str:
    """A task that only a running worker can answer; /healthz uses it."""
    return "pong"
