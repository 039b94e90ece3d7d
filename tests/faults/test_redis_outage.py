"""Redis stopped while voting: votes are still stored and receipted at once; the
confirmation email waits in the outbox and goes when Redis and a worker are back.
Real gunicorn, a private Redis the test stops, a real Celery worker with beat."""

import pytest

from outbox.models import Message
from tests.faults.conftest import signed_in
from tests.faults.http import Browser, ballot_form
from tests.faults.servers import gunicorn, private_redis
from tests.processes import celery_worker
from tests.waiting import wait_for
from voting.models import Ballot

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_votes_are_stored_and_receipted_while_redis_is_down(voting):
    envelope, session, proposals = voting
    ballot_url = f"/envelopes/{envelope.pk}/vote/"
    with private_redis() as redis, gunicorn(REDIS_URL=redis.url) as (port, _):
        browser = signed_in(Browser(port), session)
        form = ballot_form(browser.get(ballot_url).text)
        redis.stop()

        sent = browser.post(ballot_url, {**form, "choice": [proposals["Trees"]]})
        assert sent.status == 302, sent.text[:500]
        receipt = browser.get(sent.location)
        assert receipt.status == 200
        stored = Ballot.objects.get(envelope=envelope)
        assert stored.receipt in receipt.text
        assert list(stored.choices.values_list("proposal__title", flat=True)) == ["Trees"]
        # Pages that need no Redis still answer.
        assert browser.get("/").status == 200
        # The email is waiting, not lost.
        message = Message.objects.get(kind="voting.ballot_confirmation")
        assert message.sent_at is None

        redis.start()
        with celery_worker(beat=True, REDIS_URL=redis.url):
            wait_for(
                lambda: Message.objects.get(pk=message.pk).sent_at,
                timeout=120,
                message="the confirmation email to be sent",
            )
