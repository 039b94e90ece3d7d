"""Who may vote in an envelope, in one place, with a plain reason when not."""

from django.utils.translation import gettext as _

from budgets import phases
from budgets.models import Round
from neighbourhoods.selectors import lives_in
from voting.models import VoterCode


def why_cannot_vote(user, envelope) -> str | None:
    """None if ``user`` may vote in ``envelope`` now; otherwise the reason, for the voter."""
    round_ = envelope.round
    if round_.phase != Round.Phase.VOTING_OPEN:
        if not phases.is_at_or_after(round_.phase, Round.Phase.VOTING_OPEN):
            return _("Voting has not opened yet. It opens on %(date)s.") % {
                "date": round_.voting_opens_at.strftime("%-d %B %Y")
            }
        return _("Voting has closed. Nothing can be changed now.")
    if not user.is_authenticated:
        return _("Sign in to vote.")
    if not user.home_postcode:
        return _("Add your home postcode to your details so we can check where you can vote.")
    if not lives_in(user, envelope.neighbourhood_id):
        return _(
            "Your home postcode, %(postcode)s, is not in %(name)s, so you cannot vote here. "
            "If you have moved, update your details."
        ) % {"postcode": user.home_postcode, "name": envelope.neighbourhood.name}
    return None


def needs_voter_code(user, envelope) -> bool:
    if not envelope.round.requires_voter_code:
        return False
    return not VoterCode.objects.filter(envelope=envelope, used_by=user).exists()
