import threading

import psycopg
import pytest
from django.db import connection, transaction

from config.sql import CompiledRows, rows_together
from proposals.models import Proposal
from tests.database import database_url, lock_waiters
from tests.proposals.factories import ProposalFactory
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db


def test_compiled_rows_send_each_named_parameter_and_keep_the_querys_constants():
    on_ballot = ProposalFactory(title="Benches", status=Proposal.Status.ON_BALLOT)
    ProposalFactory(envelope=on_ballot.envelope, title="Drafted", status=Proposal.Status.DRAFT)
    # A constant equal to a stand-in value must stay a constant.
    rows = CompiledRows(
        lambda envelope_id, title: (
            Proposal.objects.filter(envelope_id=envelope_id, title=title)
            .exclude(title="stand-in title 0")
            .exclude(status=Proposal.Status.DRAFT)
            .values_list("title", flat=True)
        ),
        envelope_id=int,
        title=str,
    )
    assert rows.rows(envelope_id=on_ballot.envelope_id, title="Benches") == [("Benches",)]
    assert rows.rows(envelope_id=on_ballot.envelope_id, title="Drafted") == []
    assert rows.rows(envelope_id=on_ballot.envelope_id, title="stand-in title 0") == []
    assert rows.rows(envelope_id=on_ballot.envelope_id + 1000, title="Benches") == []


def test_compiled_rows_refuse_a_parameter_the_sql_never_sends():
    rows = CompiledRows(lambda envelope_id: Proposal.objects.values_list("pk"), envelope_id=int)
    with pytest.raises(ValueError, match="not found"):
        rows.rows(envelope_id=1)


def test_compiled_rows_refuse_a_parameter_the_orm_changes():
    rows = CompiledRows(
        lambda title: Proposal.objects.filter(title__contains=title).values_list("pk"),
        title=str,
    )
    with pytest.raises(ValueError, match="changed on its way"):
        rows.rows(title="Benches")


def test_compiled_rows_want_exactly_their_named_parameters():
    rows = CompiledRows(
        lambda envelope_id: Proposal.objects.filter(envelope_id=envelope_id).values_list("pk"),
        envelope_id=int,
    )
    with pytest.raises(TypeError):
        rows.rows(envelope=1)


def test_rows_together_give_each_statements_rows_in_order():
    benches = ProposalFactory(title="Benches 100%")
    results = rows_together(
        ("SELECT title FROM proposals_proposal WHERE id = %s", [benches.pk]),
        ("SELECT title FROM proposals_proposal WHERE id = %s", [benches.pk + 1000]),
        ("SELECT %s, %s WHERE 'a' LIKE '%%'", ["one", 2]),
    )
    assert results == [[("Benches 100%",)], [], [("one", 2)]]


@pytest.mark.django_db(transaction=True)
def test_a_statement_sent_together_after_a_lock_sees_what_its_holder_committed():
    """The round's hold and the read of its phase go in one round trip (voting.services):
    the read must see what a close committed while the hold waited."""
    proposal = ProposalFactory(title="Before")
    box = {}

    def read():
        try:
            with transaction.atomic():
                box["rows"] = rows_together(
                    ("SELECT pg_advisory_xact_lock_shared(%s, %s)", [LOCK, proposal.pk]),
                    ("SELECT title FROM proposals_proposal WHERE id = %s", [proposal.pk]),
                )[1]
        finally:
            connection.close()

    with (
        psycopg.connect(database_url()) as holder,
        psycopg.connect(database_url(), autocommit=True) as watcher,
    ):
        holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK, proposal.pk])
        holder.execute("UPDATE proposals_proposal SET title = 'After' WHERE id = %s", [proposal.pk])
        reader = threading.Thread(target=read)
        reader.start()
        wait_for(lambda: lock_waiters(watcher, "advisory"), message="the read to wait")
        holder.commit()
        reader.join(60)

    assert box["rows"] == [("After",)]


LOCK = 424242  # an advisory lock space nothing else uses
