import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from budgets.models import Envelope, Round
from budgets.phases import is_at_or_after
from voting import pending_ballot, selectors
from voting.ballot_html import options_html
from voting.ballot_page import meter_html, render_ballot_page
from voting.eligibility import (
    changeable_vote_elsewhere,
    envelope_for_voter,
    needs_voter_code,
    why_cannot_vote,
)
from voting.forms import VoterCodeForm, read_choices, read_idempotency_key
from voting.results.explanations import before_voting
from voting.rules import BallotRefused, BallotRule
from voting.services import (
    NotStored,
    SubmissionRefused,
    ballot_cast,
    ballot_for,
    ballot_options,
    voter_code_enter,
)
from voting.unavailable import not_stored_page


def _envelope(envelope_id) -> Envelope:
    return get_object_or_404(
        Envelope.objects.select_related(
            "round", "round__fund", "neighbourhood", "neighbourhood__council"
        ),
        pk=envelope_id,
    )


def _voter_envelope(request, envelope_id) -> Envelope:
    try:
        return envelope_for_voter(request.user, envelope_id)
    except Envelope.DoesNotExist:
        raise Http404 from None


def _ballot_page(
    request, envelope, *, choices, stored, error=None, age_confirmed=False, status=200, ideas=None
):
    proposals = selectors.ballot_ideas(envelope) if ideas is None else ideas
    rule = BallotRule.for_envelope(envelope)
    # The meter adds up only the chosen ideas.
    chosen = selectors.options_of(p for p in proposals if p.pk in choices)
    meter = selectors.budget_meter(rule, choices, chosen)
    context = {
        "envelope": envelope,
        "rule": rule,
        "first_option": proposals[0] if proposals else None,
        "options_html": options_html(rule, proposals, choices),
        "meter_html": meter_html(rule, meter),
        "error": error,
        "submission": uuid.uuid4(),
        "has_ballot": bool(stored),
        "age_confirmed": age_confirmed,
        "how_counted": before_voting(envelope.round.counting_rule),
    }
    return render_ballot_page(request, envelope, proposals, context, status=status)


def _refusal_page(request, envelope, refusal: BallotRefused, *, choices, stored, checking=False):
    # "checking": refused on the way to the check page, before any try to send the vote.
    error = {"message": refusal.message, "field": refusal.field, "checking": checking}
    age_confirmed = request.POST.get("age_confirmed") == "yes"
    return _ballot_page(
        request,
        envelope,
        choices=choices,
        stored=stored,
        error=error,
        age_confirmed=age_confirmed,
        status=400,
    )


def _cannot_vote(request, envelope, reason, status):
    after = _after_voting(envelope.round)
    context = {
        "envelope": envelope,
        "reason": reason,
        "voted_in": changeable_vote_elsewhere(envelope),
        # After the close, a voter is shown the way to their receipt (and the results).
        "voted_here": after["voting_closed"] and ballot_for(user=request.user, envelope=envelope),
        **after,
    }
    return render(request, "voting/cannot_vote.html", context, status=status)


def _may_vote(request, envelope_id):
    """The envelope, and the page to show instead of the ballot if the voter cannot use it."""
    envelope = _voter_envelope(request, envelope_id)
    return envelope, _instead_of_ballot(request, envelope)


def _instead_of_ballot(request, envelope):
    if reason := why_cannot_vote(request.user, envelope):
        return _cannot_vote(request, envelope, reason, status=200)
    if needs_voter_code(envelope):
        return redirect("voting-code", envelope_id=envelope.pk)
    return None


# The ballot form's "Continue" checks the choices; any other POST to the ballot sends the vote.
CHECK = "check"


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, envelope_id):
    if request.method == "POST" and CHECK not in request.POST:
        return _cast(request, envelope_id)
    try:
        reads = selectors.ballot_reads(user=request.user, envelope_id=envelope_id)
    except Envelope.DoesNotExist:
        raise Http404 from None
    envelope, stored, ideas = reads.envelope, reads.stored, reads.ideas
    if instead := _instead_of_ballot(request, envelope):
        return instead
    if request.method == "POST":
        return _keep_for_checking(request, envelope, stored=stored)
    # "Change your choices" on the check page comes back with the choices being checked.
    pending = pending_ballot.read(request.session, envelope.pk) if "change" in request.GET else None
    if pending is not None:
        return _ballot_page(
            request,
            envelope,
            choices=pending.choices,
            stored=stored,
            age_confirmed=pending.age_confirmed,
            ideas=ideas,
        )
    return _ballot_page(request, envelope, choices=stored, stored=stored, ideas=ideas)


def _keep_for_checking(request, envelope, *, stored):
    """Post-redirect-get: choices the rule accepts wait in the session for the check page,
    which has its own address, so reloading it never asks to send the form again."""
    age_confirmed = request.POST.get("age_confirmed") == "yes"
    try:
        choices = read_choices(request.POST)
        selectors.ballot_check(envelope, choices, age_confirmed=age_confirmed)
    except BallotRefused as refusal:
        return _refusal_page(
            request,
            envelope,
            refusal,
            choices=read_choices_or_none(request),
            stored=stored,
            checking=True,
        )
    pending_ballot.keep(
        request.session,
        envelope.pk,
        pending_ballot.Pending(choices, age_confirmed, _submission_key(request)),
    )
    return redirect("voting-check", envelope_id=envelope.pk)


@login_required
@require_GET
def check(request, envelope_id):
    """GOV.UK's "check your answers": the choices waiting in the session, with their
    costs, before anything is stored."""
    envelope, instead = _may_vote(request, envelope_id)
    if instead:
        return instead
    pending = pending_ballot.read(request.session, envelope.pk)
    if pending is None:
        return redirect("voting-ballot", envelope_id=envelope.pk)
    stored = selectors.stored_choices(user=request.user, envelope_id=envelope.pk)
    try:
        check = selectors.ballot_check(
            envelope, pending.choices, age_confirmed=pending.age_confirmed
        )
    except BallotRefused as refusal:  # the ballot changed since (an idea withdrawn)
        error = {"message": refusal.message, "field": refusal.field, "checking": True}
        return _ballot_page(
            request, envelope, choices=pending.choices, stored=stored, error=error, status=400
        )
    return render(request, "voting/check.html", _check_context(envelope, check, pending, stored))


def _check_context(envelope, check, pending, stored) -> dict:
    return {
        "envelope": envelope,
        "check": check,
        "unchanged": bool(stored) and pending.choices == stored,
        "has_ballot": bool(stored),
        "submission": pending.submission,
        "age_confirmed": pending.age_confirmed,
    }


def _submission_key(request) -> uuid.UUID:
    """The ballot form's one-time key, carried through the check page so that a double
    click there still stores one ballot."""
    try:
        return read_idempotency_key(request.POST)
    except BallotRefused:
        return uuid.uuid4()


def _cast(request, envelope_id):
    """Only the cast touches the database on the way in; the page is drawn again only
    when the ballot is refused."""
    try:
        choices = read_choices(request.POST)
        result = ballot_cast(
            user=request.user,
            envelope_id=envelope_id,
            choices=choices,
            idempotency_key=read_idempotency_key(request.POST),
            age_confirmed=request.POST.get("age_confirmed") == "yes",
        )
    except NotStored as failure:
        return not_stored_page(request, envelope_id, known=failure.known)
    except SubmissionRefused as refusal:
        return _refused(request, envelope_id, refusal, choices={})
    except BallotRefused as refusal:
        return _refused(request, envelope_id, refusal, choices=read_choices_or_none(request))
    except ValidationError as refusal:
        envelope = _voter_envelope(request, envelope_id)
        return _cannot_vote(request, envelope, " ".join(refusal.messages), status=403)
    pending_ballot.forget(request.session, envelope_id)
    if not result.duplicate:
        _say_sent(request, replaced=result.replaced)
    elif selectors.stored_choices(user=request.user, envelope_id=envelope_id) != choices:
        # A form sent before and then replaced (an old tab, the back button): the
        # receipt must not let its choices pass for the vote that now stands.
        messages.info(request, _("That form was not stored again."), extra_tags=RESENT_REPLACED)
    return redirect("voting-receipt", envelope_id=envelope_id)


def _say_sent(request, *, replaced: bool) -> None:
    # Read by the confirmation page for its heading; a cookie, so no extra query.
    messages.success(
        request,
        _("Your vote has been changed.") if replaced else _("Vote sent"),
        extra_tags=VOTE_CHANGED if replaced else VOTE_SENT,
    )


def read_choices_or_none(request) -> dict[int, int]:
    try:
        return read_choices(request.POST)
    except BallotRefused:
        return {}


def _refused(request, envelope_id, refusal, *, choices):
    envelope = _voter_envelope(request, envelope_id)
    stored = selectors.stored_choices(user=request.user, envelope_id=envelope.pk)
    if not choices and stored:
        choices = stored
    if not isinstance(refusal, BallotRefused):
        refusal = BallotRefused(str(refusal))
    return _refusal_page(request, envelope, refusal, choices=choices, stored=stored)


@login_required
@require_GET
def budget_meter(request, envelope_id):
    """The budget meter for the choices so far; htmx swaps it in as choices change."""
    return render_budget_meter(request, _envelope(envelope_id))


def render_budget_meter(request, envelope):
    """The meter fragment for the choices in the query string, online and at the kiosk; a
    set of choices the rule refuses shows as none chosen."""
    rule = BallotRule.for_envelope(envelope)
    try:
        choices = read_choices(request.GET)
    except BallotRefused:
        choices = {}
    meter = selectors.budget_meter(rule, choices, ballot_options(envelope))
    return render(request, "voting/_budget_meter.html", {"meter": meter, "rule": rule})


VOTE_SENT, VOTE_CHANGED, RESENT_REPLACED = "vote-sent", "vote-changed", "resent-replaced"


@login_required
@require_GET
def receipt(request, envelope_id):
    envelope = _voter_envelope(request, envelope_id)
    existing = ballot_for(user=request.user, envelope=envelope)
    if existing is None:
        return redirect("voting-ballot", envelope_id=envelope.pk)
    sent = [m.extra_tags for m in messages.get_messages(request)]
    context = {
        "envelope": envelope,
        "ballot": existing,
        "chosen": selectors.chosen_with_total(existing),
        "can_change": why_cannot_vote(request.user, envelope) is None,
        "just_sent": VOTE_SENT in sent,
        "just_changed": VOTE_CHANGED in sent,
        "resent_replaced": RESENT_REPLACED in sent,
        **_after_voting(envelope.round),
    }
    return render(request, "voting/receipt.html", context)


def _after_voting(round_) -> dict[str, bool]:
    return {
        "voting_closed": is_at_or_after(round_.phase, Round.Phase.VOTING_CLOSED),
        "results_published": round_.phase == Round.Phase.PUBLISHED,
    }


@login_required
@require_http_methods(["GET", "POST"])
def voter_code(request, envelope_id):
    envelope = _envelope(envelope_id)
    # Letters carry a QR code whose link fills the code in.
    form = VoterCodeForm(
        request.POST if request.method == "POST" else None,
        initial={"code": request.GET.get("code", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            voter_code_enter(
                user=request.user, envelope_id=envelope.pk, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("Your voter code is accepted. You can now vote."))
            return redirect("voting-ballot", envelope_id=envelope.pk)
    return render(
        request,
        "voting/voter_code.html",
        {"envelope": envelope, "form": form},
        status=400 if form.errors else 200,
    )
