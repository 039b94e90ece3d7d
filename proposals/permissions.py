"""Who may do what with proposals, in one place. Each check returns None when allowed, or
the reason in plain English when not, so views can show it and services can refuse."""

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.bilingual import MarkedMessage
from budgets import phases
from budgets.models import Round
from neighbourhoods.models import AnchorOrganisation
from neighbourhoods.selectors import lives_in
from proposals.models import Proposal

EDITABLE_STATUSES = [Proposal.Status.DRAFT, Proposal.Status.SUBMITTED]
WITHDRAWABLE_STATUSES = [
    Proposal.Status.DRAFT,
    Proposal.Status.SUBMITTED,
    Proposal.Status.FEASIBLE,
    Proposal.Status.NOT_FEASIBLE,
]


def _date(value) -> str:
    return formats.date_format(value, "j F Y")


def phase_refusal(round_) -> str | None:
    """Why ideas cannot be suggested or changed in this round right now, if they cannot."""
    if round_.phase == Round.Phase.PROPOSALS_OPEN:
        return None
    if round_.phase == Round.Phase.DRAFT:
        return MarkedMessage(
            _("Ideas for %(round)s can be suggested from %(date)s."),
            {
                "round": round_.local.name,
                "date": _date(round_.proposals_open_at),
            },
        )
    return MarkedMessage(
        _(
            "Ideas for %(round)s closed on %(date)s. The council is now checking them, and you "
            "can still read them and vote on them."
        ),
        {"round": round_.local.name, "date": _date(round_.review_starts_at)},
    )


def residence_refusal(user, envelope) -> str | None:
    neighbourhood = envelope.neighbourhood
    if not user.home_postcode:
        return MarkedMessage(
            _(
                "Add your home postcode to your details first: only people who live in "
                "%(neighbourhood)s can suggest ideas for it."
            ),
            {"neighbourhood": neighbourhood.local.name},
        )
    if not lives_in(user, neighbourhood.pk):
        return MarkedMessage(
            _(
                "Only people who live in %(neighbourhood)s can suggest ideas for it. Your home "
                "postcode, %(postcode)s, is outside it. If you have moved, update your details."
            ),
            {"neighbourhood": neighbourhood.local.name, "postcode": user.home_postcode},
        )
    return None


def limit_refusal(user, envelope) -> str | None:
    limit = settings.PROPOSALS_PER_RESIDENT_PER_ROUND
    used = (
        Proposal.objects.counting_against_limit()
        .filter(author=user, envelope__round_id=envelope.round_id)
        .count()
    )
    if used >= limit:
        return _(
            "You have already submitted %(limit)s ideas in this round, the most one person "
            "can. Withdraw one of them if you want to submit something else."
        ) % {"limit": limit}
    return None


def create_refusal(user, envelope) -> str | None:
    """Why this user cannot suggest an idea for this envelope now, or None if they can."""
    return (
        phase_refusal(envelope.round)
        or residence_refusal(user, envelope)
        or limit_refusal(user, envelope)
    )


def suggest_refusal(user, envelope) -> str | None:
    """Why the "Suggest an idea" button is not offered while ideas are open, if it is not.
    Visitors who are not signed in get the button: it leads to signing in."""
    if envelope.round.phase != Round.Phase.PROPOSALS_OPEN or not user.is_authenticated:
        return None
    return residence_refusal(user, envelope) or limit_refusal(user, envelope)


def is_owner(user, proposal) -> bool:
    return user.is_authenticated and user.pk in (proposal.author_id, proposal.entered_by_id)


def edit_refusal(user, proposal) -> str | None:
    if not is_owner(user, proposal):
        return _("Only the person who suggested this idea can change it.")
    if proposal.status not in EDITABLE_STATUSES:
        return _("This idea can no longer be changed: it is %(status)s.") % {
            "status": proposal.get_status_display().lower()
        }
    return phase_refusal(proposal.envelope.round)


def submit_refusal(user, proposal) -> str | None:
    if proposal.status != Proposal.Status.DRAFT:
        return _("Only a draft can be submitted. This idea is %(status)s.") % {
            "status": proposal.get_status_display().lower()
        }
    return edit_refusal(user, proposal) or limit_refusal(user, proposal.envelope)


def withdraw_refusal(user, proposal) -> str | None:
    if not is_owner(user, proposal):
        return _("Only the person who suggested this idea can withdraw it.")
    if proposal.status not in WITHDRAWABLE_STATUSES:
        return _("This idea can no longer be withdrawn: it is %(status)s.") % {
            "status": proposal.get_status_display().lower()
        }
    if proposal.envelope.round.phase not in phases.IDEAS_PHASES:
        return _("Ideas cannot be withdrawn once voting has started.")
    return None


def anchors_for(user, envelope):
    """The anchor organisations through which this user may enter ideas for this envelope."""
    if not user.is_authenticated:
        return AnchorOrganisation.objects.none()
    return AnchorOrganisation.objects.filter(
        staff=user, neighbourhoods=envelope.neighbourhood_id
    ).distinct()


def on_behalf_refusal(user, envelope, anchor=None) -> str | None:
    anchors = anchors_for(user, envelope)
    if anchor is not None:
        anchors = anchors.filter(pk=anchor.pk)
    if not anchors.exists():
        return MarkedMessage(
            _(
                "Only staff of a community organisation serving %(neighbourhood)s can enter "
                "ideas for residents there."
            ),
            {"neighbourhood": envelope.neighbourhood.local.name},
        )
    return phase_refusal(envelope.round)


def can_view(user, proposal) -> bool:
    """Public ideas, and hidden or merged ones (their page says why), are for everyone;
    drafts, ideas waiting to be checked and withdrawn ones only for whoever wrote them."""
    if is_owner(user, proposal):
        return True
    return proposal.is_public or proposal.hidden or proposal.merged_into_id is not None
