from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets.models import Envelope
from proposals import permissions, selectors, services
from proposals.forms import OnBehalfForm, ProposalFilterForm, ProposalForm, ReportForm
from proposals.models import Proposal

PAGE_SIZE = 20


def _envelope_or_404(envelope_id) -> Envelope:
    try:
        return selectors.envelope_get(envelope_id)
    except Envelope.DoesNotExist:
        raise Http404 from None


def _proposal_or_404(pk) -> Proposal:
    return get_object_or_404(
        Proposal.objects.select_related(
            "envelope__round__fund",
            "envelope__neighbourhood__council",
            "author",
            "submitted_by_anchor",
            "merged_into",
        ),
        pk=pk,
    )


def _posted(request):
    """The form data of a POST (even an empty one), or nothing for other methods."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _cannot(request, envelope, reason):
    context = {"envelope": envelope, "reason": reason}
    return render(request, "proposals/cannot.html", context, status=403)


def envelope_proposals(request, envelope_id):
    envelope = _envelope_or_404(envelope_id)
    filters = ProposalFilterForm(request.GET or None)
    chosen = filters.filters()
    seed = selectors.random_seed_for(request.session) if chosen["sort"] == "random" else ""
    proposals = selectors.proposal_list(envelope=envelope, seed=seed, **chosen)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "envelope": envelope,
        "form": filters,
        "page": page,
        "filtered": any(chosen[key] for key in ("query", "category", "status")),
    }
    fragment_only = request.htmx and not request.htmx.history_restore_request
    if not fragment_only:
        context["anchors"] = permissions.anchors_for(request.user, envelope).exists()
        context["cannot_suggest"] = permissions.suggest_refusal(request.user, envelope)
    template = "proposals/_list.html" if fragment_only else "proposals/envelope_list.html"
    response = render(request, template, context)
    # The same address answers a fragment to htmx and a page to everyone else.
    patch_vary_headers(response, ["HX-Request"])
    return response


def proposal_detail(request, pk):
    proposal = _proposal_or_404(pk)
    if not permissions.can_view(request.user, proposal):
        raise Http404
    user = request.user
    context = {
        "proposal": proposal,
        "envelope": proposal.envelope,
        "can_edit": permissions.edit_refusal(user, proposal) is None,
        "can_submit": permissions.submit_refusal(user, proposal) is None,
        "can_withdraw": permissions.withdraw_refusal(user, proposal) is None,
        "share_url": request.build_absolute_uri(proposal.get_absolute_url()),
    }
    return render(request, "proposals/detail.html", context)


@login_required
def proposal_create(request, envelope_id):
    envelope = _envelope_or_404(envelope_id)
    refusal = permissions.create_refusal(request.user, envelope)
    if refusal:
        return _cannot(request, envelope, refusal)
    form = ProposalForm(*_posted(request), envelope=envelope)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                user=request.user, envelope=envelope, **form.content()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your idea is saved as a draft. Check it, then submit it."))
            return redirect(proposal)
    return render(request, "proposals/form.html", {"form": form, "envelope": envelope})


@login_required
def proposal_edit(request, pk):
    proposal = _proposal_or_404(pk)
    refusal = permissions.edit_refusal(request.user, proposal)
    if refusal:
        return _cannot(request, proposal.envelope, refusal)
    form = ProposalForm(
        *_posted(request),
        envelope=proposal.envelope,
        initial=ProposalForm.initial_for(proposal),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(proposal=proposal, user=request.user, **form.content())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(proposal)
    context = {"form": form, "envelope": proposal.envelope, "proposal": proposal}
    return render(request, "proposals/form.html", context)


@login_required
@require_POST
def proposal_submit(request, pk):
    proposal = _proposal_or_404(pk)
    try:
        services.proposal_submit(proposal=proposal, user=request.user)
    except ValidationError as error:
        return _cannot(request, proposal.envelope, " ".join(error.messages))
    messages.success(
        request,
        _("Your idea is submitted. The council will check it and email you what they decide."),
    )
    return redirect(proposal)


@login_required
def proposal_withdraw(request, pk):
    proposal = _proposal_or_404(pk)
    refusal = permissions.withdraw_refusal(request.user, proposal)
    if refusal:
        return _cannot(request, proposal.envelope, refusal)
    if request.method == "POST":
        try:
            services.proposal_withdraw(proposal=proposal, user=request.user)
        except ValidationError as error:
            return _cannot(request, proposal.envelope, " ".join(error.messages))
        messages.success(request, _("Your idea is withdrawn."))
        return redirect("proposals-mine")
    return render(request, "proposals/withdraw.html", {"proposal": proposal})


def proposal_report(request, pk):
    proposal = _proposal_or_404(pk)
    if not proposal.is_public:
        raise Http404
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not services.report_allowed(client=request.META.get("REMOTE_ADDR", "")):
            form.add_error(None, _("You have sent a lot of reports. Try again in an hour."))
        else:
            services.proposal_report(proposal=proposal, **form.cleaned_data)
            messages.success(request, _("Thank you. The council will look at this idea."))
            return redirect(proposal)
    context = {"proposal": proposal, "form": form}
    return render(request, "proposals/report.html", context, status=400 if form.errors else 200)


@login_required
def proposals_mine(request):
    proposals = selectors.proposals_for_author(request.user)
    return render(request, "proposals/mine.html", {"proposals": proposals})


@login_required
def proposal_create_on_behalf(request, envelope_id):
    envelope = _envelope_or_404(envelope_id)
    refusal = permissions.on_behalf_refusal(request.user, envelope)
    if refusal:
        return _cannot(request, envelope, refusal)
    anchors = permissions.anchors_for(request.user, envelope)
    form = OnBehalfForm(*_posted(request), envelope=envelope, anchors=anchors)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create_on_behalf(
                staff_user=request.user, envelope=envelope, **form.on_behalf(), **form.content()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("%(name)s's idea is submitted for review.") % {"name": proposal.resident_name},
            )
            return redirect(proposal)
    context = {"form": form, "envelope": envelope, "on_behalf": True}
    return render(request, "proposals/form.html", context)
