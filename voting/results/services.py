"""Counting envelopes exactly once, finishing the round's count, and publishing it.

Exactly once: ``envelope_count`` locks the envelope row, returns the stored outcome if
there is one, and otherwise reads, counts and stores everything in one transaction. A
crash or a killed connection rolls the whole transaction back, so a retry starts clean;
a second trigger waits for the lock and then finds the outcome. The one-to-one link from
``EnvelopeCount`` to its envelope makes a second outcome impossible in the database too.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Collection
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from budgets import phases
from budgets import services as budget_services
from budgets.models import Envelope, Round
from config.events import record_after_commit
from config.tasks import start_after_commit
from proposals.models import Proposal
from voting.counting import Eligibility
from voting.counting.engine import count_prepared
from voting.counting.prepare import prepare, prepare_tallies
from voting.results import canonical, holds
from voting.results.ballots import ballot_projects, ballot_rows, read_election, vote_type_for
from voting.results.explanations import pounds_in_a_sentence
from voting.results.models import EnvelopeCount, ProposalResult

Phase = Round.Phase
TIE_BREAK = "id"

logger = logging.getLogger(__name__)

# Called inside the counting transaction as the count goes ("read", "hashed", "counted",
# "stored"), so a test can interrupt a count midway for real and the benchmark can time
# each step. It must not write anything.
Progress = Callable[[str], None]


def _no_progress(stage: str) -> None:
    return None


def _engine_version() -> str:
    """A fingerprint of the counting engine's source, stored with every outcome."""
    digest = hashlib.sha256()
    engine = Path(__file__).parent.parent / "counting"
    for path in sorted(engine.rglob("*.py")):
        name = path.relative_to(engine).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return "sha256:" + digest.hexdigest()[:16]


ENGINE_VERSION = _engine_version()


def envelope_count(*, envelope_id: int, on_progress: Progress = _no_progress) -> EnvelopeCount:
    """Count the envelope unless it has been counted, then finish the round if it can."""
    outcome = _envelope_count_once(envelope_id, on_progress)
    # A separate transaction, after this count is committed: the last envelope's task
    # then sees every other envelope's outcome and moves the round on.
    round_finish_count(round_id=outcome.envelope.round_id)
    return outcome


@transaction.atomic
def _envelope_count_once(envelope_id: int, on_progress: Progress) -> EnvelopeCount:
    envelope = (
        Envelope.objects.select_for_update(of=("self",)).select_related("round").get(pk=envelope_id)
    )
    existing = EnvelopeCount.objects.filter(envelope=envelope).select_related("envelope").first()
    if existing is not None:
        return existing
    round_ = envelope.round
    if round_.phase != Phase.VOTING_CLOSED:
        raise ValidationError(
            _("Only an envelope whose voting has closed can be counted; this round is “%(phase)s”.")
            % {"phase": round_.get_phase_display()}
        )
    # Read under the envelope's lock: whatever changed the holds committed before it.
    holds.refuse_while_held(round_id=round_.pk)
    started = time.monotonic()
    projects = ballot_projects(envelope)
    rows = ballot_rows(envelope)
    on_progress("read")
    vote_type = vote_type_for(round_)
    fast = canonical.fingerprint_rows(vote_type, envelope.amount_pence, projects, rows)
    if fast is None:  # a voter id csv would quote, say: the general path, same bytes
        election = read_election(envelope, projects)
        input_sha256, grouped = canonical.fingerprint_and_grouped(election)
        on_progress("hashed")
        prepared = prepare(grouped, TIE_BREAK)
    else:
        input_sha256, tallies = fast
        on_progress("hashed")
        prepared = prepare_tallies(vote_type, envelope.amount_pence, projects, tallies, TIE_BREAK)
    outcome = count_prepared(
        prepared,
        rule=round_.counting_rule,
        money=pounds_in_a_sentence,
        eligibility=Eligibility(round_.min_votes or 0, round_.cost_share_divisor),
    )
    on_progress("counted")

    stored = EnvelopeCount(
        envelope=envelope,
        rule=outcome.rule,
        tie_break=outcome.tie_break,
        vote_type=prepared.vote_type,
        input_sha256=input_sha256,
        ballot_count=prepared.num_ballots,
        budget_pence=int(outcome.budget),
        total_cost_pence=int(outcome.total_cost),
        engine_version=ENGINE_VERSION,
        details={key: _json_safe(value) for key, value in outcome.details.items()},
        shuffle_seed=secrets.token_hex(16),
        counted_at=timezone.now(),
    )
    stored.full_clean(exclude=["envelope"])
    stored.save()
    on_progress("stored")
    # Funded proposals first in the order the rule chose them, then the rest by votes.
    ordered = sorted(
        outcome.results,
        key=lambda r: (not r.funded, r.funded_order or 0, -r.score, -r.votes, r.project_id),
    )
    ProposalResult.objects.bulk_create(
        ProposalResult(
            outcome=stored,
            proposal_id=int(r.project_id),
            votes=r.votes,
            points=int(r.score),
            cost_pence=int(r.cost),
            funded=r.funded,
            funded_order=r.funded_order,
            reason=r.reason,
            reason_text=r.reason_text,
            reason_values={key: _json_safe(value) for key, value in r.reason_values.items()},
            rank=rank,
        )
        for rank, r in enumerate(ordered, start=1)
    )
    record_after_commit(
        logger,
        "count.envelope_counted",
        envelope_id=envelope.pk,
        round_id=round_.pk,
        rule=stored.rule,
        ballots=stored.ballot_count,
        funded=sum(1 for r in outcome.results if r.funded),
        budget_pence=stored.budget_pence,
        total_cost_pence=stored.total_cost_pence,
        input_sha256=input_sha256,
        seconds=round(time.monotonic() - started, 3),
    )
    return stored


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def round_count_start(*, round_id: int) -> list[int]:
    """The ids of the round's envelopes still to count; finishes the round if none are."""
    round_ = Round.objects.get(pk=round_id)
    if phases.is_at_or_after(round_.phase, Phase.COUNTED):
        return []
    if round_.phase != Phase.VOTING_CLOSED:
        raise ValidationError(_("A round can be counted only once its voting has closed."))
    holds.refuse_while_held(round_id=round_id)
    pending = list(
        Envelope.objects.filter(round=round_, outcome__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pending:
        round_finish_count(round_id=round_id)
    return pending


@transaction.atomic
def counts_to_resume() -> tuple[list[int], list[int]]:
    """What a dead worker may have left undone: (envelopes of closed rounds with no
    outcome that no count is working on now, closed rounds whose envelopes are all counted
    but that were not moved on). A count in progress holds its envelope's lock, so it is
    skipped; sending an envelope that is merely queued is harmless (counted once)."""
    pending = list(
        Envelope.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(round__phase=Phase.VOTING_CLOSED, outcome__isnull=True)
        .order_by("pk")
        .values_list("pk", "round_id")
    )
    # A round held (a paper batch not checked, say) waits for its officer, not for a retry.
    held = {
        round_id
        for round_id in {round_id for _pk, round_id in pending}
        if holds.count_holds(round_id=round_id)
    }
    envelopes = [pk for pk, round_id in pending if round_id not in held]
    finished = list(
        Round.objects.filter(phase=Phase.VOTING_CLOSED)
        .exclude(envelopes__outcome__isnull=True)
        .values_list("pk", flat=True)
    )
    return envelopes, finished


def round_count_request(*, round_id: int) -> None:
    """An officer's "Count now": count whatever is not counted yet, once committed."""
    round_ = Round.objects.get(pk=round_id)
    if round_.phase != Phase.VOTING_CLOSED:
        raise ValidationError(
            _("Only a round whose voting has closed, and is not counted yet, can be counted.")
        )
    holds.refuse_while_held(round_id=round_id)
    start_after_commit("voting.count_round", round_id=round_id)


@transaction.atomic
def round_finish_count(*, round_id: int) -> Round:
    """Move the round to Counted once every envelope has its outcome, and publish it
    straight away if the round says so."""
    round_ = Round.objects.select_for_update().get(pk=round_id)
    if round_.phase != Phase.VOTING_CLOSED:
        return round_
    if Envelope.objects.filter(round=round_, outcome__isnull=True).exists():
        return round_
    round_.phase = Phase.COUNTED
    round_.full_clean()
    round_.save(update_fields=["phase"])
    record_after_commit(logger, "count.round_counted", round_id=round_id)
    if round_.publish_automatically:
        if envelopes_with_few_ballots(round_id=round_id):
            # Nobody has ticked that those few voters may be shown: an officer publishes.
            record_after_commit(logger, "results.publish_held_few_ballots", round_id=round_id)
            return round_
        return round_publish(round_id=round_id)
    return round_


def envelopes_with_few_ballots(*, round_id: int) -> list[EnvelopeCount]:
    """Counted envelopes of the round with some ballots but fewer than
    FEW_BALLOTS_THRESHOLD: their published ballot file would show how those few voted."""
    return list(
        EnvelopeCount.objects.filter(
            envelope__round_id=round_id,
            ballot_count__gt=0,
            ballot_count__lt=settings.FEW_BALLOTS_THRESHOLD,
        )
        .select_related("envelope__neighbourhood")
        .order_by("envelope__neighbourhood__name")
    )


def _check_few_ballots_accepted(round_id: int, accepted_envelope_ids) -> None:
    unaccepted = [
        outcome
        for outcome in envelopes_with_few_ballots(round_id=round_id)
        if outcome.envelope_id not in accepted_envelope_ids
    ]
    if unaccepted:
        raise ValidationError(
            _(
                "Not published: %(envelopes)s had fewer than %(threshold)s ballots, so the "
                "published ballot file would show how those few people voted. Tick that you "
                "accept this for each of them, or do not publish."
            )
            % {
                "envelopes": ", ".join(o.envelope.neighbourhood.name for o in unaccepted),
                "threshold": settings.FEW_BALLOTS_THRESHOLD,
            },
            code="few_ballots",
        )


@transaction.atomic
def round_publish(*, round_id: int, few_ballots_accepted: Collection[int] = ()) -> Round:
    """Publish a counted round: results go public and proposals become funded or not.

    An envelope with only a few ballots is published only if its id is in
    ``few_ballots_accepted`` (an officer ticked that those voters may be shown)."""
    _check_few_ballots_accepted(round_id, {int(i) for i in few_ballots_accepted})
    round_ = budget_services.round_mark_published(round_id=round_id)
    now = timezone.now()
    outcomes = list(EnvelopeCount.objects.filter(envelope__round=round_))
    for outcome in outcomes:
        outcome.published_at = now
    bulk_update_with_history(outcomes, EnvelopeCount, ["published_at"], batch_size=500)
    funded = dict(
        ProposalResult.objects.filter(outcome__envelope__round=round_).values_list(
            "proposal_id", "funded"
        )
    )
    proposals = list(Proposal.objects.filter(pk__in=funded, status=Proposal.Status.ON_BALLOT))
    for proposal in proposals:
        proposal.status = (
            Proposal.Status.FUNDED if funded[proposal.pk] else Proposal.Status.NOT_FUNDED
        )
    bulk_update_with_history(proposals, Proposal, ["status"], batch_size=500)
    record_after_commit(
        logger,
        "results.published",
        round_id=round_id,
        envelopes=len(outcomes),
        funded=sum(1 for p in proposals if p.status == Proposal.Status.FUNDED),
        not_funded=sum(1 for p in proposals if p.status == Proposal.Status.NOT_FUNDED),
    )
    return round_
