"""Closing a round and casting a ballot never interleave.

Each cast holds a shared lock on its round (a PostgreSQL advisory lock keyed by the
round's id) from before it reads the round's phase until it commits. Leaving "voting
open" takes the same lock exclusively: a trigger on ``budgets_round`` does it for every
UPDATE, whatever path made it (a service, the admin, a script). So the change waits for
the casts in progress, and every cast that starts later waits for the change and then
reads the new phase. Advisory locks queue fairly: a steady stream of casts cannot keep a
close waiting, and casts never write to the round's row.
"""

from django.db import connection

# The first key of the two-key advisory lock; the second is the round's id. The trigger
# (migration budgets 0004) uses the same number.
ROUND_LOCK_SPACE = 17988


def round_hold_open_statement(*, envelope_id: int) -> tuple[str, list]:
    """``round_hold_open`` as SQL and parameters, to send ahead of the statements that
    read the round (``config.sql.rows_together``); it gives one row, (nothing, round
    id), or none if there is no such envelope."""
    return (
        "SELECT pg_advisory_xact_lock_shared(%s, round_id::integer), round_id "
        "FROM budgets_envelope WHERE id = %s",
        [ROUND_LOCK_SPACE, envelope_id],
    )


def round_hold_open(*, envelope_id: int) -> int | None:
    """Inside a transaction: hold the envelope's round open until commit; its id, or
    None if there is no such envelope. Read the round's phase after this, not with it
    (in a later statement: one statement sees what was committed when it started)."""
    sql, params = round_hold_open_statement(envelope_id=envelope_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[1] if row else None


def round_wait_for_casts(*, round_id: int) -> None:
    """Inside a transaction: wait for every cast in progress in the round, and make later
    casts wait until this transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s::integer)", [ROUND_LOCK_SPACE, round_id]
        )
