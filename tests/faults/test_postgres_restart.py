"""PostgreSQL restarted while voting: every vote sent while it is down gets a clear page
saying it was not stored, with a button to send it again; once it is back, sending again
stores each vote once. Real gunicorn on a private PostgreSQL that the test restarts."""

import psycopg
import pytest

from tests.faults.conftest import signed_in
from tests.faults.http import Browser, ballot_form, hidden_fields
from tests.faults.servers import gunicorn, private_postgres
from tests.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def stored(url: str) -> list[tuple[str, list[str]]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT b.receipt, array_agg(p.title ORDER BY p.title) FROM voting_ballot b "
            "JOIN voting_ballotchoice c ON c.ballot_id = b.id "
            "JOIN proposals_proposal p ON p.id = c.proposal_id GROUP BY b.receipt"
        ).fetchall()
    return [(receipt, titles) for receipt, titles in rows]


def test_votes_sent_while_postgres_restarts_are_refused_clearly_then_stored_once(voting):
    envelope, session, proposals = voting
    ballot_url = f"/envelopes/{envelope.pk}/vote/"
    with private_postgres() as database:
        database.copy_test_database()
        with gunicorn(DATABASE_URL=database.url, CONN_MAX_AGE="60") as (port, _):
            browser = signed_in(Browser(port), session)
            first = {**ballot_form(browser.get(ballot_url).text), "choice": [proposals["Trees"]]}
            assert browser.post(ballot_url, first).status == 302
            second = {
                **ballot_form(browser.get(ballot_url).text),
                "choice": [proposals["Benches"]],
            }

            database.stop()
            answers = [browser.post(ballot_url, second) for _ in range(3)]
            for answer in answers:
                assert answer.status == 503, answer.text[:300]
                assert "has not been stored" in answer.text
                assert "Send my vote again" in answer.text or "send it again" in answer.text
            # The page's button sends the very same form again.
            resend = (
                dict(hidden_fields(answers[-1].text))
                if "Send my vote again" in answers[-1].text
                else second
            )

            database.start()
            # The first request after the restart may still find a dead connection; the
            # voter presses the button until the vote is stored (it never counts twice).
            final = wait_for(
                lambda: (a := browser.post(ballot_url, {**second, **resend})).status == 302 and a,
                timeout=60,
                message="the vote to be stored after the restart",
            )
            receipt = browser.get(final.location)
            assert receipt.status == 200

            [(number, titles)] = stored(database.url)
            assert number in receipt.text
            assert titles == ["Benches"]
