import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from budgets.models import Envelope
from voting import selectors
from voting.eligibility import needs_voter_code, why_cannot_vote
from voting.forms import VoterCodeForm, read_choices, read_idempotency_key
from voting.rules import BallotRefused, BallotRule
from voting.services import ballot_cast, ballot_for, ballot_options, voter_code_redeem
from voting.tasks import send_ballot_confirmation


def _envelope(envelope_id) -> Envelope:
    return get_object_or_404(
        Envelope.objects.select_related(
            "round", "round__fund", "neighbourhood", "neighbourhood__council"
        ),
        pk=envelope_id,
    )


def _ballot_page(request, envelope, *, choices, error=None, status=200):
    rule = BallotRule.for_envelope(envelope)
    context = {
        "envelope": envelope,
        "rule": rule,
        "proposals": selectors.ballot_proposals(envelope),
        "choices": choices,
        "meter": selectors.budget_meter(rule, choices, ballot_options(envelope)),
        "error": error,
        "submission": uuid.uuid4(),
        "has_ballot": ballot_for(user=request.user, envelope=envelope) is not None,
    }
    return render(request, "voting/ballot.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, envelope_id):
    envelope = _envelope(envelope_id)
    reason = why_cannot_vote(request.user, envelope)
    if reason:
        return render(
            request,
            "voting/cannot_vote.html",
            {"envelope": envelope, "reason": reason},
            status=403 if request.method == "POST" else 200,
        )
    if needs_voter_code(request.user, envelope):
        return redirect("voting-code", envelope_id=envelope.pk)
    if request.method == "GET":
        existing = ballot_for(user=request.user, envelope=envelope)
        return _ballot_page(request, envelope, choices=selectors.choices_of(existing))

    rule = BallotRule.for_envelope(envelope)
    try:
        choices = read_choices(request.POST, uses_points=rule.uses_points)
    except BallotRefused as refusal:
        return _ballot_page(request, envelope, choices={}, error=str(refusal), status=400)
    if "check" in request.POST:
        return _ballot_page(request, envelope, choices=choices)
    try:
        result = ballot_cast(
            user=request.user,
            envelope_id=envelope.pk,
            choices=choices,
            idempotency_key=read_idempotency_key(request.POST),
            age_confirmed=request.POST.get("age_confirmed") == "yes",
        )
    except (BallotRefused, ValidationError) as refusal:
        message = (
            " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
        )
        return _ballot_page(request, envelope, choices=choices, error=message, status=400)
    if not result.duplicate:
        transaction.on_commit(
            lambda: send_ballot_confirmation.delay(request.user.pk, envelope.pk, result.replaced)
        )
        messages.success(
            request,
            _("Your vote has been changed.")
            if result.replaced
            else _("Your vote has been recorded."),
        )
    return redirect("voting-receipt", envelope_id=envelope.pk)


@login_required
@require_GET
def budget_meter(request, envelope_id):
    """The budget meter for the choices so far; htmx swaps it in as choices change."""
    envelope = _envelope(envelope_id)
    rule = BallotRule.for_envelope(envelope)
    try:
        choices = read_choices(request.GET, uses_points=rule.uses_points)
    except BallotRefused:
        choices = {}
    meter = selectors.budget_meter(rule, choices, ballot_options(envelope))
    return render(request, "voting/_budget_meter.html", {"meter": meter, "rule": rule})


@login_required
@require_GET
def receipt(request, envelope_id):
    envelope = _envelope(envelope_id)
    existing = ballot_for(user=request.user, envelope=envelope)
    if existing is None:
        return redirect("voting-ballot", envelope_id=envelope.pk)
    context = {
        "envelope": envelope,
        "ballot": existing,
        "chosen": selectors.chosen_proposals(existing),
        "can_change": why_cannot_vote(request.user, envelope) is None,
    }
    return render(request, "voting/receipt.html", context)


def _code_attempts_key(request, envelope_id) -> str:
    return f"voter-code-attempts:{envelope_id}:{request.user.pk}"


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
        key = _code_attempts_key(request, envelope.pk)
        attempts = cache.get_or_set(key, 0, timeout=3600)
        if attempts >= selectors.voter_code_attempts_allowed():
            form.add_error(
                "code",
                _("Too many wrong codes. Try again in an hour, or ask your council for help."),
            )
        else:
            try:
                voter_code_redeem(
                    user=request.user, envelope_id=envelope.pk, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                cache.incr(key)
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
