import pytest
from django.test import Client

from tests.voting.conftest import make_voting_envelope


@pytest.fixture
def voting(transactional_db, council, resident):
    """An envelope with voting open, and the resident's session cookie for it."""
    envelope = make_voting_envelope(council)
    client = Client()
    client.force_login(resident)
    proposals = dict(envelope.proposals.values_list("title", "pk"))
    return envelope, client.cookies["sessionid"].value, proposals


def signed_in(browser, session: str):
    browser.cookies["sessionid"] = session
    return browser
