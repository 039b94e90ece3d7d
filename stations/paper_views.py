"""Paper ballot batches for anchor staff and officers: start, key twice, decide, print.

Thin views: every rule is in ``stations.paper``; a refusal is shown on the page, with
nothing changed.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from stations import paper, paper_selectors, selectors
from stations.kiosk import staff_view
from stations.paper_forms import BatchForm, PaperForm
from stations.paper_pdf import write_paper_ballot
from stations.views import needs_two_factor
from voting.forms import read_choices
from voting.rules import BallotRefused, BallotRule
from voting.selectors import ballot_proposals


@login_required
@require_GET
def batch_list(request):
    if response := needs_two_factor(request):
        return response
    figures = paper_selectors.batch_figures(paper.batches_for(request.user))
    context = {
        "figures": figures,
        "envelopes": paper.printable_envelopes(request.user),
        # Batches this person keyed: offered neither a second keying nor the deciding.
        "mine": paper_selectors.batches_keyed_by(request.user, figures),
    }
    return render(request, "stations/paper/batch_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request):
    if response := needs_two_factor(request):
        return response
    form = BatchForm(
        request.POST or None,
        envelopes=paper.envelopes_for(request.user),
        sessions=paper.sessions_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = paper.batch_start(
                user=request.user,
                envelope_id=form.cleaned_data["envelope"],
                papers=form.cleaned_data["papers"],
                session_id=form.session_id,
                postal_return=form.cleaned_data["postal_return"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Batch %(batch)s started.") % {"batch": batch})
            return redirect("stations-paper-key", batch.pk)
    status = 400 if form.errors else 200
    return render(request, "stations/paper/batch_new.html", {"form": form}, status=status)


def _batch(request, batch_id):
    return get_object_or_404(paper.batches_for(request.user), pk=batch_id)


@login_required
@require_http_methods(["GET", "POST"])
def batch_key(request, batch_id):
    if response := needs_two_factor(request):
        return response
    batch = _batch(request, batch_id)
    form, error = PaperForm(request.POST or None), ""
    if request.method == "POST":
        try:
            finished = _key(request, batch, form)
        except (ValidationError, BallotRefused) as refused:
            error = " ".join(getattr(refused, "messages", [str(refused)]))
        else:
            if finished:  # straight to the list: nothing is left here for this person
                return redirect("stations-paper-list")
            return redirect("stations-paper-key", batch.pk)
    keying = batch.keyings.filter(keyed_by=request.user).first()
    if keying and keying.finished_at:
        messages.warning(request, paper.ALREADY_KEYED)
        return redirect("stations-paper-list")
    context = _keying_context(request, batch, keying, form, error)
    return render(request, "stations/paper/batch_key.html", context, status=400 if error else 200)


def _keying_context(request, batch, keying, form, error) -> dict:
    return {
        "batch": batch,
        "keying": keying,
        "position": keying and paper.next_position(keying),
        "proposals": ballot_proposals(batch.envelope),
        "rule": BallotRule.for_envelope(batch.envelope),
        "form": form if error else PaperForm(),
        "choices": _posted_choices(request) if error else {},
        "error": error,
    }


def _key(request, batch, form) -> bool:
    """Start or go on with this person's keying; True once they have keyed every paper."""
    if request.POST.get("action") == "start":
        paper.keying_start(batch_id=batch.pk, user=request.user)
        return False
    if not form.is_valid():
        raise ValidationError(_("Say in fewer words why the paper is spoilt."))
    position = int(request.POST.get("position") or 0)
    keying = paper.paper_enter(
        batch_id=batch.pk,
        user=request.user,
        position=position,
        choices=read_choices(request.POST),
        spoilt_reason=form.cleaned_data["spoilt_reason"],
    )
    if not keying.finished_at:
        messages.success(request, _("Paper %(n)d saved.") % {"n": position})
        return False
    batch.refresh_from_db(fields=["status"])
    if batch.status == batch.Status.MISMATCHED:
        messages.success(
            request,
            _(
                "You have keyed every paper, and both keyings are done. They read some "
                "papers differently: someone who keyed neither must decide those from the "
                "paper."
            ),
        )
    elif batch.status == batch.Status.KEYING:
        messages.success(
            request,
            _(
                "You have keyed every paper in this batch. Thank you. Someone else must "
                "now key it a second time."
            ),
        )
    else:
        messages.success(
            request, _("You have keyed every paper, and both keyings agree. Thank you.")
        )
    return True


def _posted_choices(request) -> dict[int, int]:
    try:
        return read_choices(request.POST)
    except BallotRefused:
        return {}


@login_required
@require_http_methods(["GET", "POST"])
def batch_resolve(request, batch_id):
    if response := needs_two_factor(request):
        return response
    batch = _batch(request, batch_id)
    error = ""
    if request.method == "POST":
        try:
            paper.batch_resolve(
                batch_id=batch.pk, user=request.user, decisions=_posted_decisions(request)
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Differences decided: the batch is checked and counts."))
            return redirect("stations-paper-list")
    context = {
        "batch": batch,
        "differences": paper.differences(batch),
        "titles": dict(batch.envelope.proposals.values_list("pk", "title")),
        "error": error,
    }
    return render(
        request, "stations/paper/batch_resolve.html", context, status=400 if error else 200
    )


def _posted_decisions(request) -> dict[int, str]:
    """``paper-<number>: first|second|unclear`` for each difference decided."""
    return {
        int(name.removeprefix("paper-")): value
        for name, value in request.POST.items()
        if name.startswith("paper-") and name.removeprefix("paper-").isdigit()
    }


def _pdf(envelope) -> HttpResponse:
    output = io.BytesIO()
    write_paper_ballot(envelope, output)
    response = HttpResponse(output.getvalue(), content_type="application/pdf")
    name = f"paper-ballot-{envelope.neighbourhood.slug}-{envelope.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_GET
def ballot_pdf(request, envelope_id):
    envelope = paper.printable_envelopes(request.user).filter(pk=envelope_id).first()
    if envelope is None:
        raise PermissionDenied
    return _pdf(envelope)


@require_GET
@staff_view
def kiosk_ballot_pdf(request, envelope_id):
    envelopes = selectors.station_envelopes(request.station_session)
    return _pdf(get_object_or_404(envelopes, pk=envelope_id))
