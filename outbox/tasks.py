from celery import shared_task

from outbox.services import deliver_due


@shared_task(name="outbox.deliver", ignore_result=True)
def deliver() -> int:
    """Celery beat runs this every few seconds; it carries out what is due."""
    return deliver_due()
