"""Redis stopped before a resident has signed in: they still get an emailed code, sign
in with it, vote and see their receipt; nothing answers with a 5xx. As chosen (README,
"Outages"): allauth's rate limits, kept in Redis, lapse for the outage, while a sign-in
code's own limit of wrong tries, kept in the session, holds. Real gunicorn, a private
Redis the test stops."""

import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.faults.http import Browser, ballot_form, hidden_fields
from tests.faults.servers import gunicorn, private_redis
from voting.models import Ballot

pytestmark = pytest.mark.django_db(transaction=True)


def _csrf(html: str) -> str:
    return dict(hidden_fields(html))["csrfmiddlewaretoken"]


def _emailed_code(folder: str) -> str:
    text = "\n".join(path.read_text() for path in sorted(Path(folder).iterdir()))
    codes = re.findall(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", text, re.MULTILINE)
    assert codes, text[-2000:]
    return codes[-1]


def resident_asks_for_a_code(browser: Browser, email: str) -> str:
    page = browser.get("/accounts/login/code/")
    assert page.status == 200, page.text[:500]
    sent = browser.post(
        "/accounts/login/code/", {"csrfmiddlewaretoken": _csrf(page.text), "email": email}
    )
    assert sent.status == 302, sent.text[:500]
    return sent.location


def resident_types_the_code(browser: Browser, confirm_url: str, code: str) -> None:
    page = browser.get(confirm_url)
    assert page.status == 200, page.text[:500]
    sent = browser.post(confirm_url, {"csrfmiddlewaretoken": _csrf(page.text), "code": code})
    assert sent.status == 302, sent.text[:500]


@contextmanager
def redis_down():
    """The platform under gunicorn, its Redis stopped; yields its port and the folder its
    emails are written to."""
    with (
        tempfile.TemporaryDirectory() as emails,
        private_redis() as redis,
        gunicorn(REDIS_URL=redis.url, TEST_EMAIL_DIR=emails) as (port, _),
    ):
        redis.stop()
        yield port, emails


def test_a_resident_signs_in_by_code_and_votes_while_redis_is_down(voting, resident):
    envelope, _, proposals = voting
    ballot_url = f"/envelopes/{envelope.pk}/vote/"
    with redis_down() as (port, emails):
        browser = Browser(port, timeout=30)

        confirm_url = resident_asks_for_a_code(browser, resident.email)
        resident_types_the_code(browser, confirm_url, _emailed_code(emails))

        form = ballot_form(browser.get(ballot_url).text)
        sent = browser.post(ballot_url, {**form, "choice": [proposals["Trees"]]})
        assert sent.status == 302, sent.text[:500]
        receipt = browser.get(sent.location)
        assert receipt.status == 200
        assert Ballot.objects.get(envelope=envelope).receipt in receipt.text


def test_code_requests_are_not_rate_limited_while_redis_is_down(transactional_db, resident):
    # With Redis up the fourth request in a minute is refused (tests/accounts).
    with redis_down() as (port, emails):
        for _ in range(4):
            resident_asks_for_a_code(Browser(port, timeout=30), resident.email)
        assert len(list(Path(emails).iterdir())) == 4


def test_a_sign_in_code_still_takes_three_wrong_tries_only_while_redis_is_down(
    transactional_db, resident
):
    with redis_down() as (port, emails):
        browser = Browser(port, timeout=30)
        confirm_url = resident_asks_for_a_code(browser, resident.email)
        page = browser.get(confirm_url)
        for _ in range(2):
            wrong = browser.post(
                confirm_url, {"csrfmiddlewaretoken": _csrf(page.text), "code": "WRNG-CODE"}
            )
            assert wrong.status == 200
            assert "That code is not right" in wrong.text
        third = browser.post(
            confirm_url, {"csrfmiddlewaretoken": _csrf(page.text), "code": "WRNG-CODE"}
        )
        assert third.status == 302
        assert third.location.endswith("/accounts/login/code/")  # ask for a new code

        right = browser.post(
            confirm_url,
            {"csrfmiddlewaretoken": _csrf(page.text), "code": _emailed_code(emails)},
        )
        assert right.status == 302
        assert browser.get("/accounts/profile/").status == 302  # not signed in
