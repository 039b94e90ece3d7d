"""An officer decides ballots a tablet kept offline that were refused when they arrived,
the morning after the station closed (issue 17): one accepted, one rejected with a
reason. Starts at /admin/ and goes on only by clicking; axe on every page."""

import re
import uuid

import pytest

from budgets.models import Round
from stations import offline
from stations.models import OfflineBallot
from stations.services import session_close
from tests.browser.conftest import PATIENCE_MS, axe_violations
from tests.browser.test_polling_station import _staff, sign_in_with_two_factor
from tests.stations.factories import PollingStationFactory, StationSessionFactory
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot, Channel
from voting.services import voter_codes_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def refused_after_close(council, officer):
    """Two ballots kept offline, sent after the station closed, so refused on arrival."""
    envelope = make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)
    aled = _staff("aled@anchor.test", "Aled")
    station = PollingStationFactory(
        round=envelope.round,
        place="Splott Community Centre",
        neighbourhoods=[envelope.neighbourhood],
    )
    station.anchor.staff.add(aled)
    session = StationSessionFactory(station=station, opened_by=aled)
    offline.kit_make(session, "4826")
    session_close(
        session_id=session.pk, closed_by_id=aled.pk, codes_issued=2, ballots=2, spoilt=0, refusals=0
    )
    codes = voter_codes_generate(envelope_id=envelope.pk, size=2, created_by=officer).codes
    proposals = dict(envelope.proposals.values_list("title", "pk"))
    for code, title in zip(codes.order_by("pk"), ["Trees", "Benches"], strict=True):
        payload = {
            "method": "code",
            "code": code.code,
            "envelope": envelope.pk,
            "form": [["choice", str(proposals[title])]],
        }
        offline.offline_ballot_sync(session_id=session.pk, key=uuid.uuid4(), payload=payload)
    assert OfflineBallot.objects.filter(decision=OfflineBallot.Decision.PENDING).count() == 2


@pytest.fixture
def desk(browser, live_server):
    # The CSP is bypassed only so axe-core can be injected into the officer's pages.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    yield page
    context.close()


def officer_runs(desk, row_index, action):
    rows = desk.get_by_role("row", name=re.compile("This polling station is closed"))
    rows.nth(row_index).get_by_role("checkbox").check()
    desk.get_by_label("Action:").select_option(label=action)
    desk.get_by_role("button", name="Run").click()


def test_an_officer_accepts_and_rejects_offline_ballots_after_the_station_closed(
    desk, council, refused_after_close
):
    _staff("olwen@council.test", "Olwen", council=council)
    desk.goto("/admin/")
    sign_in_with_two_factor(desk, "olwen@council.test")
    desk.get_by_role("link", name="Offline ballots").click()
    rows = desk.get_by_role("row", name=re.compile("This polling station is closed"))
    rows.first.wait_for()
    assert rows.count() == 2
    assert "closed at" in rows.first.inner_text()
    assert axe_violations(desk) == []

    officer_runs(desk, 0, "Accept: count these ballots")
    desk.get_by_text("1 accepted: their ballots are counted.").wait_for()
    assert axe_violations(desk) == []
    assert Ballot.objects.filter(channel=Channel.POLLING_STATION).count() == 1

    officer_runs(desk, 1, "Reject: do not count these ballots")
    desk.get_by_label("Why are these ballots rejected?").fill("Sent from the wrong envelope.")
    assert axe_violations(desk) == []
    desk.get_by_role("button", name="Reject them").click()
    desk.get_by_text("1 rejected: their ballots will not be counted.").wait_for()
    assert axe_violations(desk) == []

    decisions = sorted(OfflineBallot.objects.values_list("decision", flat=True))
    assert decisions == [OfflineBallot.Decision.ACCEPTED, OfflineBallot.Decision.REJECTED]
    assert Ballot.objects.count() == 1
