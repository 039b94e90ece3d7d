"""Side effects of neighbourhoods, carried out from the outbox (outbox.enqueue in the services)."""

from neighbourhoods.services import anchor_staff_invitation_send
from outbox import handler

handler("neighbourhoods.anchor_staff_invitation")(anchor_staff_invitation_send)
