"""The public ballot files of a published count: pabulib ``.pb`` and CSV.

Rows carry only the voter's random receipt reference and their choices: no user ids,
emails, dates or database ids of ballots. Rows are shuffled with the count's stored
random seed, so the order says nothing about who voted when, and the file is the same
every time it is downloaded.
"""

import csv
import io
import random

from voting.counting import Election, Project, write_pb
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
    projects = [
        Project(
            str(r.proposal_id),
            r.cost_pence,
            r.proposal.title,
            {"votes": str(r.votes), "selected": "1" if r.funded else "0"},
        )
        for r in results
    ]
    election = read_election(envelope, projects)
    round_ = envelope.round
    election.meta = {
        "description": f"{round_.name}: {envelope.neighbourhood.name}",
        "country": "United Kingdom",
        "unit": round_.fund.council.name,
        "instance": round_.name,
        "subunit": envelope.neighbourhood.name,
        "currency": "GBP",
        "comment": "Costs and the budget are in pence (hundredths of a pound).",
        "rule": outcome.rule,
        "tie_break": outcome.tie_break,
        "input_sha256": outcome.input_sha256,
    }
    return _shuffled(outcome, election)


def ballots_pb(outcome: EnvelopeCount) -> str:
    return write_pb(published_election(outcome))


def ballots_csv(outcome: EnvelopeCount) -> str:
    election = published_election(outcome)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    with_points = election.vote_type == "cumulative"
    names = {project.id: project.name for project in election.projects}
    header = ["receipt", "proposal_ids", "proposals"]
    writer.writerow(header + (["points"] if with_points else []))
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
