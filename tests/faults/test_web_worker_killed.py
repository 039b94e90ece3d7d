"""A web worker killed in the middle of storing a vote: nothing half-stored, and sending
the same form again stores it once. Real gunicorn; the cast is held mid-way by a lock."""

import os
import signal
import subprocess
import threading

import psycopg
import pytest

from tests.database import database_url, lock_waiters
from tests.faults.conftest import signed_in
from tests.faults.http import Browser, ballot_form
from tests.faults.servers import gunicorn
from tests.waiting import wait_for
from voting.models import Ballot, Participation, SubmissionKey

pytestmark = pytest.mark.django_db(transaction=True)


def workers_of(master: int) -> list[int]:
    output = subprocess.run(
        ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in output.split()]


def test_a_vote_cut_off_by_a_killed_worker_is_not_stored_and_can_be_sent_again(voting, resident):
    envelope, session, proposals = voting
    ballot_url = f"/envelopes/{envelope.pk}/vote/"
    with gunicorn(workers=1) as (port, master):
        browser = signed_in(Browser(port), session)
        fields = {**ballot_form(browser.get(ballot_url).text), "choice": [proposals["Benches"]]}
        seen = {}

        def send():
            try:
                seen["answer"] = browser.post(ballot_url, fields)
            except OSError as error:  # what the browser sees: the connection dropped
                seen["error"] = error

        with (
            psycopg.connect(database_url()) as blocker,
            psycopg.connect(database_url(), autocommit=True) as watcher,
        ):
            # The cast stops in its store statement once its ballot is written: putting the
            # voter on the round's register waits for this uncommitted line of the register.
            blocker.execute(
                "INSERT INTO voting_participation (round_id, envelope_id, voter_id, channel, "
                "voted_on) VALUES (%s, %s, %s, 'online', current_date)",
                [envelope.round_id, envelope.pk, resident.pk],
            )
            sender = threading.Thread(target=send)
            sender.start()
            held = wait_for(
                lambda: lock_waiters(watcher, "transactionid"), message="the cast to be held"
            )
            assert (
                watcher.execute("SELECT query FROM pg_stat_activity WHERE pid = ANY(%s)", [held])
                .fetchone()[0]
                .lstrip()
                .startswith("WITH submission AS")
            )
            [worker] = workers_of(master.pid)
            os.kill(worker, signal.SIGKILL)
            sender.join(60)
            blocker.rollback()
            # Its database session rolls back once it finds the worker gone.
            wait_for(
                lambda: (
                    not watcher.execute(
                        "SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", [held]
                    ).fetchall()
                ),
                message="the killed worker's session to end",
            )

        assert "error" in seen or seen["answer"].status >= 500
        assert Ballot.objects.exists() is False
        assert Participation.objects.exists() is False
        assert SubmissionKey.objects.exists() is False

        # gunicorn starts a new worker; the browser sends the same form again.
        wait_for(lambda: workers_of(master.pid), message="a new worker")
        again = browser.post(ballot_url, fields)
        assert again.status == 302
        assert Ballot.objects.get(envelope=envelope).receipt in browser.get(again.location).text
        assert Participation.objects.count() == 1
