"""The resident's journey and the polling-station kiosk in Welsh, as people use them: they
start on the English page, touch "Cymraeg" and go on only by what is on screen. Every page
is checked with axe-core, is labelled Welsh and shows no English from the catalogues; a
resident's English idea is marked lang="en-gb"."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from budgets.models import Round
from tests.accounts.factories import UserFactory
from tests.browser.conftest import PATIENCE_MS, axe_violations
from tests.browser.test_polling_station import (  # noqa: F401 (fixtures)
    PIN,
    anchor_staff,
    staff_opens_the_station,
    station,
    tablet,
)
from tests.voting.conftest import make_voting_envelope
from tests.welsh.catalogues import english_leaks
from voting.models import Ballot, Channel
from voting.services import voter_codes_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def envelope(council):
    return make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)


@pytest.fixture
def voter(db):
    user = UserFactory(email="nia@example.test", display_name="Nia", home_postcode="CF24 2AB")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def in_welsh(page, heading, *, width=None):
    page.locator("h1").filter(has_text=heading).wait_for()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert english_leaks(page.content()) == [], heading
    assert axe_violations(page) == [], heading
    if width:
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def _sign_in_by_code(page, email):
    page.get_by_label("Cyfeiriad e-bost").fill(email)
    page.get_by_role("button", name="Parhau").click()
    in_welsh(page, "Edrychwch ar eich e-bost")
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE)
    page.get_by_label("Cod o'r e-bost").fill(code.group(1))
    page.get_by_role("button", name="Mewngofnodi").click()


@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 740}, {"width": 1280, "height": 900}]
)
def test_a_resident_votes_in_welsh(browser, live_server, envelope, voter, viewport):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, bypass_csp=True)
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Cymraeg").click()
    in_welsh(page, "Arian eich cymdogaeth", width=viewport["width"])
    page.get_by_label("Eich cod post").fill("CF24 2AB")
    page.get_by_role("button", name="Dod o hyd i fy nghymdogaeth").click()
    in_welsh(page, "Splott")
    page.get_by_role("button", name="Pleidleisio nawr").click()
    in_welsh(page, "Mewngofnodwch i bleidleisio dros gymdogaeth Splott")
    _sign_in_by_code(page, voter.email)

    in_welsh(page, "Pleidleisio dros gymdogaeth Splott", width=viewport["width"])
    assert page.locator('label span[lang="en-gb"]', has_text="Benches").count() == 1
    page.get_by_label("Benches").check()
    # As a person does, see the total follow the tick before the next: on a phone the
    # total sticks above the list, and the ideas move as it is redrawn.
    page.locator("#budget-meter").get_by_text("£10,000 o £30,000 wedi'u dewis").wait_for()
    page.get_by_label("Play area").check()
    page.locator("#budget-meter").get_by_text("£25,000 o £30,000 wedi'u dewis").wait_for()
    page.get_by_role("button", name="Parhau").click()
    in_welsh(page, "Gwirio eich dewisiadau")
    page.get_by_role("button", name="Anfon fy mhleidlais").click()
    in_welsh(page, "Pleidlais wedi'i hanfon", width=viewport["width"])
    expect(page.get_by_text(Ballot.objects.get().receipt)).to_be_visible()

    if viewport["width"] < 641:  # on a phone the menu is folded away
        page.get_by_role("button", name="Dewislen").click()
    page.get_by_role("link", name="Eich manylion").click()
    in_welsh(page, "Eich manylion")
    page.get_by_label("Iaith ar gyfer negeseuon e-bost a llythyrau").select_option(label="Cymraeg")
    page.get_by_role("button", name="Cadw fy manylion").click()
    page.get_by_text("Mae eich manylion wedi'u cadw.").wait_for()
    assert User.objects.get(pk=voter.pk).language == "cy"
    context.close()


def test_a_mistake_on_the_welsh_ballot_is_explained_in_welsh(page, envelope, voter):
    page.goto("/")
    page.get_by_role("link", name="Cymraeg").click()
    page.get_by_label("Eich cod post").fill("CF24 2AB")
    page.get_by_role("button", name="Dod o hyd i fy nghymdogaeth").click()
    page.get_by_role("button", name="Pleidleisio nawr").click()
    _sign_in_by_code(page, voter.email)
    for title in ["Benches", "Play area", "Trees"]:
        page.get_by_label(title).check()
    page.get_by_role("button", name="Parhau").click()
    alert = page.get_by_role("alert")
    alert.get_by_text("Dad-diciwch syniadau sy'n costio o leiaf £15,000.").wait_for()
    in_welsh(page, "Pleidleisio dros gymdogaeth Splott")
    assert Ballot.objects.exists() is False


def test_a_voter_uses_the_kiosk_in_welsh(tablet, station, envelope, officer, anchor_staff):  # noqa: F811
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    staff_opens_the_station(tablet, anchor_staff)
    tablet.get_by_role("link", name="Cymraeg").click()
    in_welsh(tablet, "Pleidleisiwch yma")

    tablet.get_by_label("Cod pleidleisio").fill("AAAA-BBBB-CCCC")
    tablet.get_by_role("button", name="Parhau").click()
    tablet.get_by_text("Nid yw'r cod hwnnw'n iawn ar gyfer yr orsaf hon.").wait_for()
    in_welsh(tablet, "Pleidleisiwch yma")

    tablet.get_by_label("Cod pleidleisio").fill(code.code)
    tablet.get_by_role("button", name="Parhau").click()
    in_welsh(tablet, "Pleidleisio dros gymdogaeth Splott")
    tablet.get_by_label("Trees").check()
    tablet.get_by_role("button", name="Anfon fy mhleidlais").click()
    in_welsh(tablet, "Diolch. Mae eich pleidlais wedi'i chofnodi.")
    expect(tablet.locator(".nd-receipt")).to_have_text(Ballot.objects.get().receipt)
    tablet.get_by_role("button", name="Gorffen").click()
    in_welsh(tablet, "Pleidleisiwch yma")
    assert Ballot.objects.get().channel == Channel.POLLING_STATION

    tablet.get_by_role("link", name="Staff yn unig").click()
    in_welsh(tablet, "Staff yn unig")
    tablet.get_by_label("PIN staff").fill(PIN)
    tablet.get_by_role("button", name="Parhau").click()
    in_welsh(tablet, "Ffigurau'r orsaf")
    tablet.get_by_role("link", name="Cymryd datganiad").click()
    in_welsh(tablet, "Cymryd datganiad")
    tablet.get_by_label("Enw llawn").fill("Someone Far")
    tablet.get_by_label(re.compile(r"^Cod post")).fill("SW1A 1AA")
    tablet.get_by_label("Rwyf wedi darllen y datganiad").check()
    tablet.get_by_label("Wedi'i wirio gan").select_option(label="Aled")
    tablet.get_by_role("button", name="Gwirio a throsglwyddo").click()
    tablet.get_by_text(
        "Nid yw SW1A 1AA mewn cymdogaeth sy'n pleidleisio yn yr orsaf hon."
    ).wait_for()
    in_welsh(tablet, "Cymryd datganiad")


# Before every frame the browser paints, what a Welsh ballot page shows: the total's
# text (None while hidden) and how many ticks (None while the ballot is hidden).
RECORD_EACH_FRAME = """
window.framesShown = [];
const shown = (el) => el && getComputedStyle(el).visibility !== "hidden";
const look = () => {
  const meter = document.getElementById("budget-meter");
  const ballot = document.querySelector("form.nd-ballot");
  if (meter && location.pathname.startsWith("/cy/")) {
    window.framesShown.push({
      total: shown(meter) ? meter.textContent.replace(/\\s+/g, " ").trim() : null,
      ticks: shown(ballot) ? ballot.querySelectorAll("input:checked").length : null,
    });
  }
  requestAnimationFrame(look);
};
requestAnimationFrame(look);
"""


def _voter_opens_the_ballot(page, voter):
    page.goto("/")
    page.get_by_label("Your postcode").fill("CF24 2AB")
    page.get_by_role("button", name="Find my neighbourhood").click()
    page.get_by_role("button", name="Vote now").click()
    page.get_by_label("Email address").fill(voter.email)
    page.get_by_role("button", name="Continue").click()
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE)
    page.get_by_label("Code from the email").fill(code.group(1))
    page.get_by_role("button", name="Sign in").click()
    page.locator("h1").filter(has_text="Vote for Splott").wait_for()
    # The page's script carries the ticks: it must have run, as it has once a page loads.
    page.wait_for_load_state("load")


def test_switching_to_welsh_on_the_ballot_keeps_the_ticks(page, envelope, voter):
    _voter_opens_the_ballot(page, voter)
    page.get_by_label("Benches").check()
    page.get_by_label("Play area").check()

    page.get_by_role("link", name="Cymraeg").click()

    in_welsh(page, "Pleidleisio dros gymdogaeth Splott")
    expect(page.get_by_label("Benches")).to_be_checked()
    expect(page.get_by_label("Play area")).to_be_checked()
    expect(page.get_by_label("Trees")).not_to_be_checked()
    # The meter follows the kept ticks, and the address never shows them.
    expect(page.locator("#budget-meter")).to_contain_text("£25,000 o £30,000 wedi'u dewis")
    assert "choice" not in page.url and "kept" not in page.url
    assert Ballot.objects.exists() is False


def test_after_switching_to_welsh_the_total_never_shows_wrong(page, envelope, voter):
    """A trial saw £0 for a second after the switch, until the script recounted the kept
    ticks. On a slow line (the recount takes a second here) the ballot shows only with its
    ticks back, and the total only once it is right."""
    page.add_init_script(RECORD_EACH_FRAME)
    _voter_opens_the_ballot(page, voter)
    page.get_by_label("Benches").check()
    page.get_by_label("Play area").check()
    page.locator("#budget-meter").get_by_text("£25,000 of £30,000 chosen").wait_for()

    def slow_line(route):
        time.sleep(1)
        route.continue_()

    page.route("**/vote/meter/**", slow_line)
    page.get_by_role("link", name="Cymraeg").click()
    in_welsh(page, "Pleidleisio dros gymdogaeth Splott")
    expect(page.locator("#budget-meter")).to_contain_text("£25,000 o £30,000 wedi'u dewis")
    expect(page.locator("#budget-meter")).to_be_visible()

    frames = page.evaluate("window.framesShown")
    assert len(frames) > 10
    assert {frame["ticks"] for frame in frames} <= {None, 2}
    assert {frame["total"] for frame in frames} == {
        None,
        "£25,000 o £30,000 wedi'u dewis £5,000 ar ôl",
    }
