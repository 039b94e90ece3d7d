"""Public results pages and ballot downloads; they exist only once a round is published."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from budgets.models import Round
from voting.results import documents, exports, program, selectors
from voting.results.explanations import comparison_figures, how_counted, tie_break_text
from voting.results.models import EnvelopeCount


def _published_or_404(envelope_id: int) -> EnvelopeCount:
    try:
        return selectors.published_outcome(envelope_id)
    except EnvelopeCount.DoesNotExist:
        raise Http404 from None


def _rule_name(rule: str) -> str:
    """A counting rule's name for residents (the engine's own name for a rule the round
    choices no longer list)."""
    return str(dict(Round.CountingRule.choices).get(rule, rule))


def envelope_results(request, envelope_id):
    outcome = _published_or_404(envelope_id)
    rows = selectors.result_rows(outcome)
    context = {
        "outcome": outcome,
        "envelope": outcome.envelope,
        "round": outcome.envelope.round,
        "rows": rows,
        "funded": [row for row in rows if row.result.funded],
        "not_funded": [row for row in rows if not row.result.funded],
        "rule_name": _rule_name(outcome.rule),
        "turnout": selectors.turnout_by_channel(outcome.envelope),
        "how_counted": how_counted(outcome.rule),
        "comparison": comparison_figures(outcome.details),
        "tie_break": tie_break_text(outcome.tie_break),
        "recount": _recount_context(outcome),
    }
    return render(request, "voting/results/envelope.html", context)


def _recount_context(outcome: EnvelopeCount) -> dict:
    """What the "count it again" steps name: the files and the command."""
    return {
        # Each word kept whole on its line where it fits (see .nd-command-word).
        "command_words": program.recount_command(outcome).split(" "),
        "ballot_file": program.ballot_file_name(outcome, "pb"),
        **_program_context(),
    }


def _program_context() -> dict:
    return {
        "zip_name": program.ZIP_NAME,
        "zip_sha256": program.counting_zip_sha256(),
        "zip_kilobytes": program.counting_zip_kilobytes(),
    }


def _download(name: str, content: str, content_type: str):
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def envelope_ballots_pb(request, envelope_id):
    outcome = _published_or_404(envelope_id)
    name = program.ballot_file_name(outcome, "pb")
    return _download(name, exports.ballots_pb(outcome), "text/plain")


def envelope_ballots_csv(request, envelope_id):
    outcome = _published_or_404(envelope_id)
    name = program.spreadsheet_file_name(outcome)
    return _download(name, exports.ballots_csv(outcome), "text/csv")


RESULTS_PAGE_SIZE = 20


def results_index(request):
    """Every published result, for anyone checking a count (they need not live there)."""
    page = Paginator(selectors.published_rounds(), RESULTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "voting/results/index.html", {"page": page})


def round_results(request, round_id):
    try:
        round_ = selectors.published_round(round_id)
    except Round.DoesNotExist:
        raise Http404 from None
    outcomes = selectors.round_outcomes(round_)
    # Every neighbourhood of a round is counted by the round's rule; name it here too, so
    # a reader need not open a neighbourhood to learn it.
    rules = sorted({o.rule for o in outcomes})
    context = {
        "round": round_,
        "outcomes": outcomes,
        "rule_names": [_rule_name(rule) for rule in rules],
        "how_counted": how_counted(rules[0])[:1] if len(rules) == 1 else [],
        "total_budget": sum(o.budget_pence for o in outcomes),
        "total_spent": sum(o.total_cost_pence for o in outcomes),
        "total_ballots": sum(o.ballot_count for o in outcomes),
    }
    return render(request, "voting/results/round.html", context)


def counting_source(request):
    """The counting program's source code, so anyone can read what counted the votes."""
    files = list(selectors.counting_source_files())
    context = {"files": files, "program": _program_context()}
    return render(request, "voting/results/counting_source.html", context)


def counting_program_zip(request):
    """The counting program on its own, to unzip and run: ``python -m counting``."""
    response = HttpResponse(program.counting_zip(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{program.ZIP_NAME}"'
    return response


def counting_source_file(request, name):
    """One file of the counting program: its Markdown (README.md) as a page of the site,
    any other file, or the Markdown with ``?plain=1``, exactly as it is, as plain text."""
    path = selectors.counting_source_files().get(name)
    if path is None:
        raise Http404
    if path.suffix != ".md" or "plain" in request.GET:
        return HttpResponse(path.read_bytes(), content_type="text/plain; charset=utf-8")
    context = {"name": name, "document": documents.markdown_page(path)}
    return render(request, "voting/results/counting_document.html", context)
