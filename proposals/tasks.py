"""Side effects of proposals, carried out from the outbox (outbox.enqueue in the services)."""

from outbox import handler
from proposals.models import Proposal
from proposals.services import proposal_status_email_send


@handler("proposals.status_email")
def send_status_email(proposal_id: int) -> None:
    """Email an idea's author about its status, read fresh from the database."""
    proposal = (
        Proposal.objects.select_related("author", "envelope__neighbourhood")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is not None:
        proposal_status_email_send(proposal=proposal)
