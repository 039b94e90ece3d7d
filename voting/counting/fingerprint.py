"""The fingerprint of a ballot file: the SHA-256 of its canonical form.

Every count the platform stores records this fingerprint of the ballots it counted, and the
results page shows it. Anyone can work it out again from the published ``.pb`` file
(``python -m counting ballots.pb --check`` prints it), so a file that gives the same
fingerprint holds exactly the ballots that were counted. The canonical form keeps only
what the count reads and orders everything by rules anyone can repeat:

- META: ``budget``, ``vote_type``, ``num_projects``, ``num_votes`` and nothing else;
- PROJECTS: ``project_id;cost`` only, in numeric order of project id;
- VOTES: ``voter_id;vote[;points]``, rows in text order of voter id (the random receipt
  reference), each vote's projects in numeric order with their points alongside.

It is written with this package's own ``write_pb``, UTF-8, lines ending in ``\\n``.
"""

from __future__ import annotations

import hashlib
import re

from .model import Ballot, Election, Project
from .pb_format import write_pb


def project_order(project_id: str):
    """Numeric ids in numeric order ('2' before '10'), any others after them as text."""
    return (0, int(project_id), "") if project_id.isdigit() else (1, 0, project_id)


def canonical_ballot(ballot: Ballot) -> Ballot:
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
            (canonical_ballot(b) for b in election.ballots), key=lambda b: b.voter_id or ""
        ),
    )


def canonical_pb(election: Election) -> str:
    return write_pb(canonical_election(election))


def canonical_sha256(election: Election) -> str:
    """The fingerprint: the SHA-256 of the election's canonical ``.pb`` text, in hex."""
    return hashlib.sha256(canonical_pb(election).encode("utf-8")).hexdigest()


# How a published file's META ``comment`` records the fingerprint of the
# ballots it was written with: written by the platform, read back by ``--check``.
RECORDED = "the SHA-256 of the canonical ballot file is {}"
_RECORDED = re.compile(re.escape(RECORDED).replace(re.escape("{}"), "([0-9a-f]{64})"))


def recorded_fingerprint(comment: str) -> str | None:
    """The fingerprint a file's META comment records, if it records one."""
    found = _RECORDED.search(comment)
    return found.group(1) if found else None
