"""Read an envelope's ballots from the database into the counting engine's form."""

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection

from budgets.models import Envelope, Round
from proposals.models import Proposal
from voting.counting import Ballot, Election, Project
from voting.models import Ballot as StoredBallot
from voting.models import BallotChoice, Channel

CUMULATIVE = "cumulative"
APPROVAL = "approval"


def vote_type_for(round_: Round) -> str:
    """Knapsack and k-approval ballots are approval ballots with limits checked on entry."""
    return CUMULATIVE if round_.ballot_rule == Round.BallotRule.CUMULATIVE else APPROVAL


def ballot_projects(envelope: Envelope) -> list[Project]:
    """The proposals on the envelope's ballot, at the cost the council will pay, by id."""
    proposals = (
        Proposal.objects.on_ballot(envelope)
        .order_by("pk")
        .values_list("pk", "title", "effective_cost")
    )
    return [Project(str(pk), cost, title) for pk, title, cost in proposals]


# pabulib's ``voting_method``: it knows "internet" and "paper" only, and pabulib-checker
# refuses any other value. A polling station's tablet casts its ballots on the platform
# itself, so they are "internet" ballots; the file's comment counts those cast in person
# (voting.results.exports.in_person_note).
VOTING_METHODS: dict[str, str] = {
    Channel.ONLINE: "internet",
    Channel.POLLING_STATION: "internet",
    Channel.PAPER: "paper",
}


def read_election(
    envelope: Envelope, projects: list[Project], with_voting_method: bool = False
) -> Election:
    """One engine ballot per stored ballot, its receipt as voter id, in receipt order.

    A single query: PostgreSQL gathers each ballot's choices into arrays. With
    ``with_voting_method`` each ballot carries pabulib's voting method for its channel.
    """
    with_points = vote_type_for(envelope.round) == CUMULATIVE
    rows = (
        StoredBallot.objects.filter(envelope=envelope)
        .annotate(
            proposal_ids=ArrayAgg("choices__proposal_id", order_by="choices__proposal_id"),
            points=ArrayAgg("choices__points", order_by="choices__proposal_id"),
        )
        .order_by("receipt")
        .values_list("receipt", "proposal_ids", "points", "channel")
    )
    ballots = []
    for receipt, proposal_ids, points, channel in rows.iterator(chunk_size=10_000):
        if proposal_ids == [None]:
            proposal_ids, points = [], []
        ballots.append(
            Ballot(
                tuple(map(str, proposal_ids)),
                tuple(points) if with_points else None,
                1,
                receipt,
                VOTING_METHODS[channel] if with_voting_method else None,
            )
        )
    return Election(
        vote_type=vote_type_for(envelope.round),
        budget=envelope.amount_pence,
        projects=projects,
        ballots=ballots,
    )


def ballot_rows(envelope: Envelope) -> list[tuple[str, str, str]]:
    """Every ballot as ``(receipt, proposal ids, points)``, the ids and points as text
    joined by commas in numeric order of id, in byte order of receipt: one query whose
    rows ``canonical.fingerprint_rows`` hashes without a ballot object each.
    """
    ballot, choice = StoredBallot._meta.db_table, BallotChoice._meta.db_table
    sql = f"""
        SELECT b.receipt,
               coalesce(string_agg(c.proposal_id::text, ',' ORDER BY c.proposal_id), ''),
               coalesce(string_agg(c.points::text, ',' ORDER BY c.proposal_id), '')
        FROM {ballot} b LEFT JOIN {choice} c ON c.ballot_id = b.id
        WHERE b.envelope_id = %s
        GROUP BY b.id
        ORDER BY b.receipt COLLATE "C"
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [envelope.pk])
        return cursor.fetchall()
