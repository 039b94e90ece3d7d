"""Every change to a proposal goes through here, so the status rules live in one place."""

import logging
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import outbox
from accounts.bilingual import ENGLISH, WELSH
from accounts.language import in_language_of, page_language
from accounts.models import User
from budgets import phases
from config.events import record_refusal
from config.ratelimit import RateLimit
from proposals import permissions
from proposals.models import Proposal, ProposalReport

CONTENT_FIELDS = [
    "title",
    "summary",
    "description",
    "cost_pence",
    "category",
    "photo",
    "photo_description",
    "location_description",
    "latitude",
    "longitude",
]
REVIEWABLE_STATUSES = [
    Proposal.Status.SUBMITTED,
    Proposal.Status.FEASIBLE,
    Proposal.Status.NOT_FEASIBLE,
]
REVIEW_PHASES = phases.IDEAS_PHASES


logger = logging.getLogger(__name__)


def _refuse(reason: str | None, *, action: str, **ids) -> None:
    if reason:
        error = ValidationError(reason, code="refused")
        record_refusal(logger, action=f"proposals.{action}", error=error, **ids)
        raise error


def _locked(proposal: Proposal) -> Proposal:
    """Reload the proposal under a row lock so two changes never interleave."""
    return (
        Proposal.objects.select_for_update()
        .select_related("envelope__round__fund")
        .get(pk=proposal.pk)
    )


def _check_officer(officer, proposal: Proposal) -> None:
    if officer.is_superuser:
        return
    if not officer.is_officer or officer.council_id != proposal.envelope.round.fund.council_id:
        raise PermissionDenied(_("Officers can only review their own council's ideas."))


def _save(proposal: Proposal) -> Proposal:
    proposal.full_clean()
    proposal.save()
    return proposal


def _notify_later(proposal: Proposal) -> None:
    # Written with the status change, sent once it commits (outbox).
    outbox.enqueue("proposals.status_email", proposal_id=proposal.pk)


def _content(fields: dict) -> dict:
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Not proposal content: {', '.join(sorted(unknown))}")
    return {
        key: value
        for key, value in fields.items()
        if value is not None
        or key
        in {
            "latitude",
            "longitude",
        }
    }


@transaction.atomic
def proposal_create(*, user, envelope, **content) -> Proposal:
    """A resident's new idea, saved as a draft."""
    # Locking the author's row makes the per-round limit hold under concurrent requests.
    User.objects.select_for_update().filter(pk=user.pk).first()
    _refuse(permissions.create_refusal(user, envelope), action="create", envelope_id=envelope.pk)
    proposal = Proposal(
        envelope=envelope, author=user, language=page_language(), **_content(content)
    )
    return _save(proposal)


@transaction.atomic
def proposal_create_on_behalf(
    *, staff_user, anchor, envelope, resident_name, resident_email="", **content
) -> Proposal:
    """An idea written down by anchor staff for a resident; it goes straight to review."""
    _refuse(
        permissions.on_behalf_refusal(staff_user, envelope, anchor),
        action="create_on_behalf",
        envelope_id=envelope.pk,
    )
    if not resident_name.strip():
        raise ValidationError(_("Enter the resident's name."))
    proposal = Proposal(
        envelope=envelope,
        submitted_by_anchor=anchor,
        entered_by=staff_user,
        resident_name=resident_name.strip(),
        resident_email=resident_email,
        language=page_language(),
        status=Proposal.Status.SUBMITTED,
        submitted_at=timezone.now(),
        **_content(content),
    )
    return _save(proposal)


@transaction.atomic
def proposal_update(*, proposal, user, **content) -> Proposal:
    proposal = _locked(proposal)
    _refuse(permissions.edit_refusal(user, proposal), action="update", proposal_id=proposal.pk)
    for field, value in _content(content).items():
        setattr(proposal, field, value)
    return _save(proposal)


@transaction.atomic
def proposal_submit(*, proposal, user) -> Proposal:
    # As in proposal_create: the author's row lock makes the limit hold under concurrency.
    User.objects.select_for_update().filter(pk=user.pk).first()
    proposal = _locked(proposal)
    _refuse(permissions.submit_refusal(user, proposal), action="submit", proposal_id=proposal.pk)
    proposal.status = Proposal.Status.SUBMITTED
    proposal.submitted_at = timezone.now()
    return _save(proposal)


@transaction.atomic
def proposal_withdraw(*, proposal, user) -> Proposal:
    proposal = _locked(proposal)
    _refuse(
        permissions.withdraw_refusal(user, proposal), action="withdraw", proposal_id=proposal.pk
    )
    proposal.status = Proposal.Status.WITHDRAWN
    return _save(proposal)


@transaction.atomic
def proposal_review(
    *,
    proposal,
    officer,
    feasible: bool,
    reason: str = "",
    reason_cy: str = "",
    adjusted_cost_pence: int | None = None,
) -> Proposal:
    """An officer's decision: can it be done, at what cost, and why (shown to everyone)."""
    proposal = _locked(proposal)
    _check_officer(officer, proposal)
    if proposal.status not in REVIEWABLE_STATUSES:
        raise ValidationError(
            _("Only submitted ideas can be reviewed. “%(title)s” is %(status)s.")
            % {"title": proposal.title, "status": proposal.get_status_display().lower()}
        )
    if proposal.envelope.round.phase not in REVIEW_PHASES:
        raise ValidationError(_("Ideas can only be reviewed before voting opens."))
    if not feasible and not reason.strip():
        raise ValidationError(_("Give a reason when an idea cannot be done: residents see it."))
    if adjusted_cost_pence is not None and adjusted_cost_pence <= 0:
        raise ValidationError(_("The council's cost must be more than £0."))
    old_status = proposal.status
    proposal.status = Proposal.Status.FEASIBLE if feasible else Proposal.Status.NOT_FEASIBLE
    proposal.review_reason, proposal.review_reason_cy = reason.strip(), reason_cy.strip()
    proposal.adjusted_cost_pence = adjusted_cost_pence
    _save(proposal)
    if proposal.status != old_status:
        _notify_later(proposal)
    return proposal


@transaction.atomic
def proposal_set_council_cost(*, proposal, officer, adjusted_cost_pence: int | None) -> Proposal:
    """The council's own cost for an idea, leaving the decision on it as it is (None goes
    back to the resident's estimate)."""
    proposal = _locked(proposal)
    _check_officer(officer, proposal)
    if proposal.status not in [*REVIEWABLE_STATUSES, Proposal.Status.ON_BALLOT]:
        raise ValidationError(
            _("The cost of “%(title)s” cannot change: it is %(status)s.")
            % {"title": proposal.title, "status": proposal.get_status_display().lower()}
        )
    if proposal.envelope.round.phase not in REVIEW_PHASES:
        raise ValidationError(_("Costs can only change before voting opens."))
    if adjusted_cost_pence is not None and adjusted_cost_pence <= 0:
        raise ValidationError(_("The council's cost must be more than £0."))
    proposal.adjusted_cost_pence = adjusted_cost_pence
    return _save(proposal)


@transaction.atomic
def proposal_put_on_ballot(*, proposal, officer) -> Proposal:
    proposal = _locked(proposal)
    _check_officer(officer, proposal)
    if proposal.status != Proposal.Status.FEASIBLE or proposal.hidden or proposal.merged_into_id:
        raise ValidationError(
            _("Only ideas that can be done go on the ballot. “%(title)s” is marked “%(status)s”.")
            % {"title": proposal.title, "status": proposal.get_status_display()}
        )
    if proposal.envelope.round.phase not in REVIEW_PHASES:
        raise ValidationError(_("The ballot cannot change once voting has opened."))
    proposal.status = Proposal.Status.ON_BALLOT
    _save(proposal)
    _notify_later(proposal)
    return proposal


@transaction.atomic
def proposal_merge(*, duplicate, into, officer) -> Proposal:
    """Join a duplicate idea into another: the duplicate leaves the list and points to it."""
    duplicate, into = _locked(duplicate), _locked(into)
    _check_officer(officer, duplicate)
    _check_officer(officer, into)
    if duplicate.pk == into.pk:
        raise ValidationError(_("An idea cannot be joined with itself."))
    if duplicate.envelope_id != into.envelope_id:
        raise ValidationError(_("Only ideas for the same neighbourhood can be joined."))
    if duplicate.status not in REVIEWABLE_STATUSES or duplicate.merged_into_id:
        raise ValidationError(
            _("“%(title)s” is %(status)s, so it cannot be joined with another idea.")
            % {"title": duplicate.title, "status": duplicate.get_status_display().lower()}
        )
    if into.status not in Proposal.PUBLIC_STATUSES or into.hidden or into.merged_into_id:
        raise ValidationError(
            _("“%(title)s” is not on the public list, so other ideas cannot be joined with it.")
            % {"title": into.title}
        )
    duplicate.merged_into = into
    duplicate.status = Proposal.Status.WITHDRAWN
    # The platform's own words, so both languages are known.
    for field, language in (("review_reason", ENGLISH), ("review_reason_cy", WELSH)):
        with translation.override(language):
            reason = _(
                "The council joined this idea with “%(title)s”, which suggests the same thing."
            )
        setattr(duplicate, field, reason % {"title": into.title})
    _save(duplicate)
    _notify_later(duplicate)
    return duplicate


@transaction.atomic
def proposal_hide(*, proposal, officer, reason: str, reason_cy: str = "") -> Proposal:
    """Take abusive content off the site; the public reason stays in its place."""
    proposal = _locked(proposal)
    _check_officer(officer, proposal)
    if not reason.strip():
        raise ValidationError(_("Give a reason for hiding the idea: residents see it."))
    proposal.hidden = True
    proposal.hidden_reason, proposal.hidden_reason_cy = reason.strip(), reason_cy.strip()
    return _save(proposal)


REPORTS_PER_HOUR = 10


def report_allowed(*, client: str) -> bool:
    """At most REPORTS_PER_HOUR reports an hour from one network address, so reports
    cannot bury the officers' list."""
    limit = RateLimit(f"proposal-reports:{client}", allowed=REPORTS_PER_HOUR, window_seconds=3600)
    if limit.reached():
        return False
    limit.count_one()
    return True


def proposal_report(*, proposal: Proposal, reason: str, details: str = "") -> ProposalReport:
    """Anyone's report that an idea should not be shown; officers see it in the admin."""
    if not proposal.is_public:
        raise ValidationError(_("Only ideas shown on the website can be reported."))
    report = ProposalReport(proposal=proposal, reason=reason, details=details.strip())
    report.full_clean()
    report.save()
    return report


def proposal_status_email_send(*, proposal: Proposal) -> bool:
    """Tell the author what happened to their idea. Returns whether an email went out."""
    recipient = proposal.author.email if proposal.author is not None else proposal.resident_email
    if not recipient:
        return False
    # An author without an account reads the language they wrote their idea on.
    reader = proposal.author or SimpleNamespace(language=proposal.language)
    with in_language_of(reader):
        context = {
            "proposal": proposal,
            "status": proposal.get_status_display().lower(),
            "url": settings.SITE_URL + proposal.get_absolute_url(),
        }
        subject = render_to_string("proposals/email/status_changed_subject.txt", context).strip()
        message = render_to_string("proposals/email/status_changed.txt", context).strip()
    send_mail(
        subject=subject,
        message=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient],
    )
    return True
