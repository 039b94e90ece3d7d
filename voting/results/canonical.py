"""The canonical form of a ballot file, whose SHA-256 each stored count records.

The canonical form itself, and its fingerprint, live in the counting package
(``voting/counting/fingerprint.py``), which anyone can download and run without this
project: ``python -m counting ballots.pb --check`` prints the same fingerprint as the
results page. Here: the same fingerprint worked out straight from the database's rows
(``fingerprint_rows``, without a ballot object for each; tests check it against
``canonical_sha256``), and identical ballots merged for counting.
"""

import hashlib
import re
from collections import Counter
from itertools import chain, repeat
from operator import ge

from voting.counting import Ballot, Election, Project, write_pb
from voting.counting.fingerprint import (
    canonical_ballot,
    canonical_election,
    canonical_pb,
    canonical_sha256,
    project_order,
)

__all__ = [
    "canonical_election",
    "canonical_pb",
    "canonical_sha256",
    "fingerprint_and_grouped",
    "fingerprint_rows",
    "grouped",
    "project_order",
]


def grouped(election: Election) -> Election:
    """The same election with identical ballots merged, which the rules count faster."""
    return _merged(election, map(canonical_ballot, election.ballots))


def fingerprint_and_grouped(election: Election) -> tuple[str, Election]:
    """``canonical_sha256`` and ``grouped`` together, putting each ballot in canonical
    order once for both."""
    canonical = canonical_election(election)
    digest = hashlib.sha256(write_pb(canonical).encode("utf-8")).hexdigest()
    return digest, _merged(election, canonical.ballots)


NUMBERS = re.compile(r"[0-9,]*")


def fingerprint_rows(
    vote_type: str, budget, projects: list[Project], rows: list[tuple[str, str, str]]
) -> tuple[str, dict[tuple, int]] | None:
    """``fingerprint_and_grouped`` for ballots given as rows ``(voter_id, projects,
    points)``: projects comma-separated in numeric order, points alongside ('' for none).
    The ballots come back as tallies for ``prepare_tallies`` (each distinct ballot, as
    ``Ballot`` holds it, and how many cast it), in the order of their first row.

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
    # META and PROJECTS as write_pb writes them, with no ballots; then the number of votes.
    head = write_pb(Election(vote_type, budget, canonical, []))
    head = head.replace("\nnum_votes;0\n", f"\nnum_votes;{len(rows)}\n", 1)
    digest = hashlib.sha256(head.encode("utf-8"))
    # Each VOTES line is ``voter_id;vote[;points]\n``, joined in one pass.
    semicolons, newlines = repeat(";"), repeat("\n")
    tallies: dict[tuple, int]
    if with_points:
        lines = zip(ids, semicolons, votes, semicolons, points, newlines, strict=False)
        with_points_counted = Counter(zip(votes, points, strict=True))
        tallies = {
            (tuple(v.split(",")) if v else (), tuple(map(int, x.split(","))) if x else ()): n
            for (v, x), n in with_points_counted.items()
        }
    else:
        lines = zip(ids, semicolons, votes, newlines, strict=False)
        tallies = {tuple(v.split(",")) if v else (): n for v, n in Counter(votes).items()}
    digest.update("".join(chain.from_iterable(lines)).encode("utf-8"))
    return digest.hexdigest(), tallies


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
