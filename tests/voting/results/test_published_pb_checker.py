"""Published ballot files are valid pabulib 2026 files: ``pabulib-checker`` finds no error.

The checker also recounts the rules it knows (greedy, its variants, Equal Shares with
Add1 and the comparison step) from the file and compares them with its ``selected``
column, so a file that passes says the same as the published result.
"""

import contextlib
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pabulib.checker import Checker

from budgets.models import Round
from tests.voting.results.factories import (
    ClosedEnvelopeFactory,
    OnBallotProposalFactory,
    cast,
    every_envelope,
)
from voting.counting import parse_pb
from voting.models import Channel
from voting.results import exports
from voting.results.services import envelope_count, round_publish

pytestmark = pytest.mark.django_db
Rule = Round.CountingRule


def checked(text: str) -> dict:
    with contextlib.redirect_stdout(io.StringIO()):  # the checker prints as it goes
        results = Checker().process_files([text])
    (report,) = (v for k, v in results.items() if k not in ("metadata", "summary"))
    return report["results"]


def closed_envelope_counted_by(council, rule, **settings):
    """A £10,000 envelope whose round counts by ``rule``: benches (£4,000) 4 votes, youth
    club (£5,000) 3, street art (£3,000) 1; one paper ballot, one at a polling station."""
    envelope = ClosedEnvelopeFactory(
        round__fund__council=council,
        round__counting_rule=rule,
        **{f"round__{key}": value for key, value in settings.items()},
        neighbourhood__council=council,
    )
    benches = OnBallotProposalFactory(envelope=envelope, cost_pence=4_000_00)
    youth = OnBallotProposalFactory(envelope=envelope, cost_pence=5_000_00)
    art = OnBallotProposalFactory(envelope=envelope, cost_pence=3_000_00)
    cast(envelope, benches, youth)
    cast(envelope, benches, youth)
    cast(envelope, benches, youth, channel=Channel.PAPER)
    cast(envelope, benches, channel=Channel.POLLING_STATION)
    cast(envelope, art)
    envelope.benches = benches
    return envelope


def publish(council, rule, **settings):
    envelope = closed_envelope_counted_by(council, rule, **settings)
    envelope_count(envelope_id=envelope.pk)
    round_publish(
        round_id=envelope.round_id, few_ballots_accepted=every_envelope(envelope.round_id)
    )
    envelope.refresh_from_db()
    return envelope, exports.ballots_pb(envelope.outcome)


VOCABULARY = {
    Rule.GREEDY: "greedy",
    Rule.GREEDY_NO_SKIP: "greedy-no-skip",
    Rule.EQUAL_SHARES: "equalshares",
    Rule.EQUAL_SHARES_ADD1: "equalshares/add1",
    Rule.EQUAL_SHARES_ADD1_COMPARISON: "equalshares/add1-comparison",
    Rule.EQUAL_SHARES_ADD1_GREEDY: "unknown",
    Rule.PHRAGMEN: "unknown",
}


@pytest.mark.parametrize("rule", list(VOCABULARY))
def test_a_published_file_passes_the_checker_under_every_rule(council, rule):
    envelope, text = publish(council, rule)

    report = checked(text)

    assert report.get("errors", {}) == {}
    meta = parse_pb(text).meta
    assert meta["rule"] == VOCABULARY[rule]
    assert rule in meta["comment"]
    round_ = envelope.round
    assert meta["date_begin"] == round_.voting_opens_at.strftime("%d.%m.%Y")
    assert meta["date_end"] == round_.voting_closes_at.strftime("%d.%m.%Y")


def test_a_vote_opened_early_is_published_with_the_day_it_actually_opened(council):
    envelope = closed_envelope_counted_by(council, Rule.GREEDY)
    round_ = envelope.round
    round_.voting_opened_at = round_.voting_opens_at - timedelta(days=9)
    round_.save(update_fields=["voting_opened_at"])
    envelope_count(envelope_id=envelope.pk)
    round_publish(round_id=round_.pk, few_ballots_accepted=every_envelope(round_.pk))
    envelope.refresh_from_db()

    meta = parse_pb(exports.ballots_pb(envelope.outcome)).meta

    assert meta["date_begin"] == round_.voting_opened_at.strftime("%d.%m.%Y")
    assert meta["date_begin"] != round_.voting_opens_at.strftime("%d.%m.%Y")


def test_the_threshold_rule_is_published_with_its_threshold(council):
    _envelope, text = publish(council, Rule.GREEDY_THRESHOLD, min_votes=2)

    assert checked(text).get("errors", {}) == {}
    meta = parse_pb(text).meta
    assert meta["rule"] == "greedy-threshold"
    assert meta["min_project_score_threshold"] == "2"


def test_each_vote_says_how_it_was_cast_and_nothing_about_who(council):
    envelope, text = publish(council, Rule.GREEDY)

    election = parse_pb(text)
    methods = sorted(b.voting_method for b in election.ballots)
    # Four on the platform (one of them at a polling station's tablet), one on paper.
    assert methods == ["internet", "internet", "internet", "internet", "paper"]
    votes_header = text.split("VOTES\n", 1)[1].splitlines()[0]
    assert votes_header == "voter_id;vote;voting_method"
    receipts = set(envelope.ballots.values_list("receipt", flat=True))
    assert {b.voter_id for b in election.ballots} == receipts
    # How many were cast in person is said once, as a count, never per row.
    assert "1 of this file's ballots were cast in person" in election.meta["comment"]


@pytest.mark.parametrize("in_person", ["in-person", "station", "polling station", "tablet"])
def test_pabulib_knows_no_in_person_voting_method(council, in_person):
    """Why station ballots say 'internet': the checker refuses every in-person value. If a
    later pabulib accepts one, this fails and the platform should write it instead."""
    _envelope, text = publish(council, Rule.GREEDY)
    head, votes = text.split("VOTES\n", 1)
    lines = votes.splitlines()
    lines[1] = lines[1].rsplit(";", 1)[0] + ";" + in_person
    errors = checked(head + "VOTES\n" + "\n".join(lines) + "\n").get("errors", {})
    assert any("voting_method" in str(details) for details in errors.values()), errors


def test_the_checker_would_catch_a_wrong_selection(council):
    # The test above means something only if the checker recounts: drop a winner.
    envelope, text = publish(council, Rule.GREEDY)
    benches = str(envelope.benches.pk)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(f"{benches};") and line.endswith(";1"):
            lines[i] = line[:-1] + "0"
    report = checked("\n".join(lines) + "\n")

    assert "greedy rule not followed" in report["errors"]
    assert envelope.outcome.proposal_results.get(proposal=envelope.benches).funded


def test_the_file_ends_on_the_day_voting_actually_closed(council):
    # Closed by hand eleven days before its planned date (found by a trial: the file gave
    # the planned date).
    start = timezone.now() - timedelta(days=60)
    closed = start + timedelta(days=45)
    envelope, text = publish(council, Rule.GREEDY, start=start, voting_closed_at=closed)

    assert checked(text).get("errors", {}) == {}
    date_end = parse_pb(text).meta["date_end"]
    assert date_end == timezone.localtime(closed).strftime("%d.%m.%Y")
    assert date_end != timezone.localtime(envelope.round.voting_closes_at).strftime("%d.%m.%Y")


def test_voting_that_closed_at_midnight_ended_the_day_before(council):
    start = timezone.now() - timedelta(days=60)
    day = timezone.localtime(start + timedelta(days=45))
    midnight = day.replace(hour=0, minute=0, second=0, microsecond=0)
    _envelope, text = publish(council, Rule.GREEDY, start=start, voting_closed_at=midnight)

    assert parse_pb(text).meta["date_end"] == (midnight - timedelta(days=1)).strftime("%d.%m.%Y")
