"""Scanning a voter-code letter's QR code with the tablet's camera (issue 16, point 2).

Chromium's fake camera shows the QR code exactly as the letter prints it. Debian's
Chromium, like an iPad's browser, has no BarcodeDetector of its own, so this also proves
the kiosk's own reader: loaded from this site under the site's policy (plus WebAssembly),
with nothing fetched from anywhere else.
"""

import re
from urllib.parse import urlsplit

import numpy as np
import pytest

from budgets.models import Round
from tests.browser import test_polling_station as journeys
from tests.browser.conftest import PATIENCE_MS, _chromium_path
from tests.browser.test_polling_station import PIN, sign_in_with_two_factor
from tests.voting.conftest import make_voting_envelope
from voting.letters import code_url, qr_image
from voting.models import Ballot, Channel
from voting.services import voter_codes_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

anchor_staff = journeys.anchor_staff
station = journeys.station
FRAME = (640, 480)


@pytest.fixture
def envelope(council):
    return make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)


def write_camera_picture(path, text: str) -> None:
    """One still frame in the YUV4MPEG2 format Chromium's fake camera plays on a loop: the
    letter's QR code, six pixels a module, on white paper."""
    modules = np.asarray(qr_image(text).convert("L"))
    scaled = np.kron(modules, np.ones((6, 6), dtype=np.uint8))
    width, height = FRAME
    luma = np.full((height, width), 235, dtype=np.uint8)
    top, left = (height - scaled.shape[0]) // 2, (width - scaled.shape[1]) // 2
    luma[top : top + scaled.shape[0], left : left + scaled.shape[1]] = np.where(
        scaled > 127, 235, 16
    )
    chroma = np.full((height // 2) * (width // 2), 128, dtype=np.uint8).tobytes()
    header = f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + luma.tobytes() + chroma + chroma)


@pytest.fixture
def camera_tablet(browser, live_server, tmp_path, envelope, officer):
    """A tablet whose camera sees a voter-code letter's QR code."""
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    picture = tmp_path / "letter.y4m"
    write_camera_picture(picture, code_url(envelope.pk, code.code, "en"))
    camera_browser = browser.browser_type.launch(
        executable_path=_chromium_path(),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={picture}",
        ],
    )
    context = camera_browser.new_context(
        base_url=live_server.url,
        viewport=journeys.TABLET,
        is_mobile=True,
        has_touch=True,
        permissions=["camera"],
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.outside_requests = []
    host = urlsplit(live_server.url).netloc
    page.on(
        "request",
        lambda r: urlsplit(r.url).netloc not in (host, "") and page.outside_requests.append(r.url),
    )
    yield page, code
    context.close()
    camera_browser.close()


def test_a_voter_scans_the_qr_code_on_their_letter_and_votes(camera_tablet, station, anchor_staff):
    tablet, code = camera_tablet
    assert tablet.evaluate("'BarcodeDetector' in window") is False
    # Under the site's real policy, so no axe here: test_polling_station checks these
    # screens with axe.
    tablet.goto("/kiosk/")
    tablet.get_by_role("link", name="Open a polling station (staff only)").click()
    sign_in_with_two_factor(tablet, anchor_staff.email)
    tablet.get_by_role("link", name=re.compile(r"^Open on this tablet")).click()
    tablet.get_by_label("Choose a staff PIN for this tablet").fill(PIN)
    tablet.get_by_role("button", name="Open the station").click()

    tablet.get_by_role("button", name="Scan the QR code on the letter").click()
    tablet.locator("h1").filter(has_text="Vote for Splott").wait_for()
    tablet.get_by_label("Trees").check()
    tablet.get_by_role("button", name="Send my vote").click()
    journeys.voter_finishes(tablet)

    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.POLLING_STATION
    code.refresh_from_db()
    assert code.used_on is not None
    assert tablet.console_errors == []
    assert tablet.outside_requests == []
