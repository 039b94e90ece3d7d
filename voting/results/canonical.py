"""The canonical form of a ballot file, whose SHA-256 each stored count records.

Plain Python, no Django, so anyone can recompute the hash from a published ``.pb`` file
(``python manage.py ballots_sha256 ballots.pb``). The canonical form keeps only what the
count reads and orders everything by rules anyone can repeat:

- META: ``budget``, ``vote_type``, ``num_projects``, ``num_votes`` and nothing else;
- PROJECTS: ``project_id;cost`` only, in numeric order of project id;
- VOTES: ``voter_id;vote[;points]``, rows in text order of voter id (the random receipt
  reference), each vote's projects in numeric order with their points alongside.

It is written with the engine's own ``write_pb``, UTF-8, lines ending in ``\\n``.
``fingerprint_rows`` hashes the same bytes straight from the database's rows, without
making a ballot object for each (tests check it against ``canonical_sha256``).
"""

import hashlib
import re
from collections import Counter
from itertools import repeat
from operator import ge

from voting.counting import Ballot, Election, Project, write_pb


def project_order(project_id: str):
    """Numeric ids in numeric order ('2' before '10'), any others after them as text."""
    return (0, int(project_id), "") if project_id.isdigit() else (1, 0, project_id)


def _canonical_ballot(ballot: Ballot) -> Ballot:
    if ballot.points is None:
        # Numeric ids (all the platform's) sort by value, as project_order sorts them.
        key = int if all(map(str.isdigit, ballot.projects)) else project_order
        return Ballot(tuple(sorted(ballot.projects, key=key)), None, 1, ballot.voter_id)
    pairs = sorted(
        zip(ballot.projects, ballot.points, strict=True), key=lambda pair: project_order(pair[0])
    )
    return Ballot(tuple(p for p, _ in pairs), tuple(x for _, x in pairs), 1, ballot.voter_id)


def canonical_election(election: Election) -> Election:
    if any(b.voter_id is None or b.multiplicity != 1 for b in election.ballots):
        raise ValueError("the canonical form needs one row, with its voter id, per ballot")
    return Election(
        vote_type=election.vote_type,
        budget=election.budget,
        projects=[
            Project(p.id, p.cost)
            for p in sorted(election.projects, key=lambda p: project_order(p.id))
        ],
        ballots=sorted(
            (_canonical_ballot(b) for b in election.ballots), key=lambda b: b.voter_id or ""
        ),
    )


def canonical_pb(election: Election) -> str:
    return write_pb(canonical_election(election))


def canonical_sha256(election: Election) -> str:
    return hashlib.sha256(canonical_pb(election).encode("utf-8")).hexdigest()


def grouped(election: Election) -> Election:
    """The same election with identical ballots merged, which the rules count faster."""
    return _merged(election, map(_canonical_ballot, election.ballots))


def fingerprint_and_grouped(election: Election) -> tuple[str, Election]:
    """``canonical_sha256`` and ``grouped`` together, putting each ballot in canonical
    order once for both."""
    canonical = canonical_election(election)
    digest = hashlib.sha256(write_pb(canonical).encode("utf-8")).hexdigest()
    return digest, _merged(election, canonical.ballots)


NUMBERS = re.compile(r"[0-9,]*")


def fingerprint_rows(
    vote_type: str, budget, projects: list[Project], rows: list[tuple[str, str, str]]
) -> tuple[str, Election] | None:
    """``fingerprint_and_grouped`` for ballots given as rows ``(voter_id, projects,
    points)``: projects comma-separated in numeric order, points alongside ('' for none).

    The VOTES lines are written as ``write_pb`` writes them; so that no line would need
    csv's quoting, every voter id must be plain, and the rows in strictly increasing
    text order of voter id, each vote's projects numeric ids. Returns None when the rows
    are not like that (the caller then takes the general path).
    """
    with_points = vote_type == "cumulative"
    ids, votes, points = (list(column) for column in zip(*rows, strict=True)) if rows else ([],) * 3
    if any(map(ge, ids, ids[1:])) or not NUMBERS.fullmatch(",".join(votes)):
        return None
    if any(ch in text for text in ("".join(ids), "".join(points)) for ch in ';"\r\n'):
        return None
    canonical = sorted((Project(p.id, p.cost) for p in projects), key=lambda p: project_order(p.id))
    # META and PROJECTS as write_pb writes them; one stand-in ballot carries the count.
    head = write_pb(Election(vote_type, budget, canonical, [Ballot((), None, len(rows))]))
    head = head[: head.index("\n", head.index("\nVOTES\n") + 7) + 1]
    if with_points:
        lines = [f"{r};{v};{x}\n" for r, v, x in rows]
        weights = Counter(zip(votes, points, strict=True))
    else:
        lines = [f"{r};{v}\n" for r, v in zip(ids, votes, strict=True)]
        weights = Counter(zip(votes, repeat("")))
    digest = hashlib.sha256()
    digest.update(head.encode("utf-8"))
    digest.update("".join(lines).encode("utf-8"))
    ballots = [
        Ballot(
            tuple(v.split(",")) if v else (),
            (tuple(map(int, x.split(","))) if x else ()) if with_points else None,
            weight,
        )
        for (v, x), weight in weights.items()
    ]
    return digest.hexdigest(), Election(vote_type, budget, list(projects), ballots)


def _merged(election: Election, canonical_ballots) -> Election:
    weights = Counter((b.projects, b.points) for b in canonical_ballots)
    return Election(
        vote_type=election.vote_type,
        budget=election.budget,
        projects=election.projects,
        ballots=[
            Ballot(projects, points, weight) for (projects, points), weight in weights.items()
        ],
        meta=election.meta,
    )
