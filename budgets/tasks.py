from celery import shared_task
from django.utils import timezone

from budgets.services import rounds_advance_by_date


@shared_task(name="budgets.advance_round_phases")
def advance_round_phases() -> list[tuple[int, str]]:
    """Celery beat runs this every minute so rounds follow their dates."""
    return rounds_advance_by_date(now=timezone.now())
