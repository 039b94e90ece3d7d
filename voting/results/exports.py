"""The public ballot files of a published count: pabulib ``.pb`` and CSV.

Rows carry only the voter's random receipt reference, their choices and (in the ``.pb``
file) whether they voted on the platform or on paper: no user ids, emails, dates or
database ids of ballots. Rows are shuffled with the count's stored random seed, so the
order says nothing about who voted when, and the file is the same every time it is
downloaded. The ``.pb`` file follows pabulib's 2026 format and passes ``pabulib-checker``:
only the META keys it knows, in its order, the rule in its vocabulary, the voting dates.
"""

import csv
import io
import random
from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext

from voting.counting import Election, Eligibility, Project, pabulib_rule, write_pb
from voting.counting.fingerprint import RECORDED
from voting.models import Channel
from voting.results.ballots import read_election
from voting.results.models import EnvelopeCount


def _shuffled(outcome: EnvelopeCount, election: Election) -> Election:
    ballots = sorted(election.ballots, key=lambda b: b.voter_id or "")
    random.Random(outcome.shuffle_seed).shuffle(ballots)
    election.ballots = ballots
    return election


def published_election(outcome: EnvelopeCount) -> Election:
    """The counted election as published: the proposals counted, shuffled ballots."""
    envelope = outcome.envelope
    results = sorted(
        outcome.proposal_results.select_related("proposal"), key=lambda r: r.proposal_id
    )
    points = outcome.vote_type == "cumulative"
    projects = [
        Project(
            str(r.proposal_id),
            r.cost_pence,
            r.proposal.title,
            {"votes": str(r.votes), "selected": "1" if r.funded else "0"}
            | ({"score": str(r.points)} if points else {}),
        )
        for r in results
    ]
    election = read_election(envelope, projects, with_voting_method=True)
    election.meta = published_meta(outcome)
    return _shuffled(outcome, election)


def in_person_note(envelope) -> str:
    """pabulib's voting_method knows only 'internet' and 'paper', and its checker refuses
    anything else; a polling station's tablet casts on the platform itself, so its ballots
    are 'internet' and the comment says how many of them were cast in person. A count,
    never which rows: the results page already shows turnout by channel."""
    at_stations = envelope.ballots.filter(channel=Channel.POLLING_STATION).count()
    return (
        "voting_method 'internet' means cast electronically on the platform, from home or "
        f"in person: {at_stations} of this file's ballots were cast in person on a polling "
        "station's tablet. 'paper' means a paper ballot."
    )


def _date(moment) -> str:
    # pabulib's fixed format, the same in every language.
    return date_format(timezone.localtime(moment), "d.m.Y")


def last_day_of_voting(round_):
    """pabulib's date_end is the vote's last day: the day voting actually closed, or the
    day before when it closed on the stroke of midnight."""
    return round_.voting_ended_at - timedelta(microseconds=1)


def published_meta(outcome: EnvelopeCount) -> dict[str, str]:
    """META in pabulib's order; the four counts are filled in by the writer."""
    envelope = outcome.envelope
    round_ = envelope.round
    details = outcome.details or {}
    eligibility = Eligibility(details.get("min_votes") or 0, details.get("cost_share_divisor"))
    comment = (
        "#1: Costs and the budget are in pence (hundredths of a pound). "
        f"Counted by Neighbourhood Democracy with its rule '{outcome.rule}', ties going to "
        f"the smaller project id compared as text ('{outcome.tie_break}'); "
        + RECORDED.format(outcome.input_sha256)
        + ". "
        + in_person_note(envelope)
    )
    if eligibility.min_votes:
        comment += f" Proposals needed at least {eligibility.min_votes} votes."
    if eligibility.cost_share_divisor:
        comment += (
            " A proposal's share of voters had to be at least its share of the budget "
            f"divided by {eligibility.cost_share_divisor}."
        )
    meta = {
        "description": f"{round_.name}: {envelope.neighbourhood.name}",
        "country": "United Kingdom",
        "unit": round_.fund.council.name,
        "subunit": envelope.neighbourhood.name,
        "instance": round_.name,
        "num_projects": "",
        "num_votes": "",
        "budget": "",
        "vote_type": "",
        "rule": pabulib_rule(outcome.rule, eligibility),
        # When voting actually opened (an officer may open it before its date) and its
        # last day (it may close early).
        "date_begin": _date(round_.voting_began_at),
        "date_end": _date(last_day_of_voting(round_)),
    }
    rules = round_.BallotRule
    if round_.ballot_rule == rules.K_APPROVAL and round_.max_choices:
        meta["max_length"] = str(round_.max_choices)
    if round_.ballot_rule == rules.KNAPSACK:
        meta["max_sum_cost"] = str(envelope.amount_pence)
    if round_.ballot_rule == rules.CUMULATIVE:
        meta["max_points"] = str(round_.points_per_proposal_max)
        meta["max_sum_points"] = str(round_.points_total)
    if eligibility.min_votes:
        meta["min_project_score_threshold"] = str(eligibility.min_votes)
    meta |= {"language": "en", "currency": "GBP", "comment": comment}
    return meta


def ballots_pb(outcome: EnvelopeCount) -> str:
    return write_pb(published_election(outcome))


def ballots_csv(outcome: EnvelopeCount) -> str:
    election = published_election(outcome)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    with_points = election.vote_type == "cumulative"
    names = {project.id: project.name for project in election.projects}
    # A spreadsheet for people, so its headings are in the page's language; the .pb file
    # is the fixed format for programs.
    header = [
        pgettext("ballots CSV heading", "receipt"),
        pgettext("ballots CSV heading", "proposal_ids"),
        pgettext("ballots CSV heading", "proposals"),
    ]
    points = [pgettext("ballots CSV heading", "points")] if with_points else []
    writer.writerow(header + points)
    for ballot in election.ballots:
        # Names may contain commas; the csv module quotes them, and "; " separates them.
        row = [
            ballot.voter_id,
            " ".join(ballot.projects),
            "; ".join(names.get(pid, pid) for pid in ballot.projects),
        ]
        if with_points:
            row.append(" ".join(str(x) for x in ballot.points or ()))
        writer.writerow(row)
    return out.getvalue()
