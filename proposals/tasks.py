from celery import shared_task

from proposals.models import Proposal
from proposals.services import proposal_status_email_send


@shared_task(
    name="proposals.status_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def proposal_status_email(proposal_id: int) -> bool:
    """Email an idea's author about its new status; the row is read fresh from the database."""
    proposal = (
        Proposal.objects.select_related("author", "envelope__neighbourhood")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        return False
    return proposal_status_email_send(proposal=proposal)
