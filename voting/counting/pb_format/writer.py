"""An :class:`Election` as ``.pb`` text, and the anonymised copy that is published."""

from __future__ import annotations

import csv
import io
import random

from ..model import POINTS_VOTE_TYPES, Ballot, Election, Project
from .numbers import format_number

# Column order of pabulib's 2026 format; other columns follow in their own order.
PROJECT_COLUMNS = ("project_id", "cost", "votes", "score", "name", "category", "beneficiaries")
PROJECT_COLUMNS_AFTER = ("selected",)


def write_pb(election: Election) -> str:
    """Write an election as ``.pb`` text.

    META keys ``budget``, ``vote_type``, ``num_projects`` and ``num_votes`` are always
    written from the election itself (in place if the META has them, else after it);
    other META keys are kept in their order. Project columns follow pabulib's order
    (project_id, cost, votes, score, name, category, beneficiaries, then others, then
    selected). Ballots with a multiplicity above one are written as that many rows.
    Voter ids are kept when every ballot has one, otherwise voters are numbered from 1.
    A ``voting_method`` column is written when any ballot has one.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    meta["budget"] = format_number(election.budget)
    meta["vote_type"] = election.vote_type
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(election.num_ballots)
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])
    columns = _project_columns(election.projects)
    out.write("PROJECTS\n")
    writer.writerow(["project_id", "cost", *columns])
    for p in election.projects:
        writer.writerow(
            [p.id, format_number(p.cost)]
            + [p.name if c == "name" else p.extra.get(c, "None") for c in columns]
        )
    _write_votes(election, out, writer)
    return out.getvalue()


def _project_columns(projects: list[Project]) -> list[str]:
    """The PROJECTS columns after project_id and cost, in pabulib's order."""
    extra_columns: list[str] = []
    for p in projects:
        for column in p.extra:
            if column not in extra_columns:
                extra_columns.append(column)
    if any(p.name for p in projects):
        extra_columns.append("name")
    known = PROJECT_COLUMNS + PROJECT_COLUMNS_AFTER
    first = [c for c in PROJECT_COLUMNS if c in extra_columns]
    last = [c for c in PROJECT_COLUMNS_AFTER if c in extra_columns]
    return first + [c for c in extra_columns if c not in known] + last


def _write_votes(election: Election, out: io.StringIO, writer) -> None:
    with_points = election.vote_type in POINTS_VOTE_TYPES
    with_method = any(b.voting_method for b in election.ballots)
    keep_ids = all(b.voter_id is not None and b.multiplicity == 1 for b in election.ballots)
    out.write("VOTES\n")
    writer.writerow(
        ["voter_id", "vote"]
        + (["points"] if with_points else [])
        + (["voting_method"] if with_method else [])
    )
    number = 0
    for ballot in election.ballots:
        row_tail = [",".join(ballot.projects)]
        if with_points:
            row_tail.append(",".join(format_number(x) for x in (ballot.points or ())))
        if with_method:
            row_tail.append(ballot.voting_method or "")
        for _ in range(ballot.multiplicity):
            number += 1
            writer.writerow([ballot.voter_id if keep_ids else str(number), *row_tail])


def anonymise(election: Election, rng: random.Random | None = None) -> Election:
    """A copy for publication: ballots in random order, voter ids dropped (the written
    file numbers voters 1, 2, ...), identical ballots written as separate rows.
    ``rng`` defaults to the operating system's randomness."""
    rng = rng or random.SystemRandom()
    ballots = [
        Ballot(b.projects, b.points, 1, None, b.voting_method)
        for b in election.ballots
        for _ in range(b.multiplicity)
    ]
    rng.shuffle(ballots)
    return Election(
        election.vote_type, election.budget, list(election.projects), ballots, dict(election.meta)
    )
