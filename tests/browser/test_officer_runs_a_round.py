"""A council officer's whole job, clicked through the admin from /admin/: set up a fund,
a round and its envelopes, import postcodes, open the round, review ideas, run the vote,
make voter-code letters, see the count, review and publish the results, export.

Residents' part (suggesting ideas, voting) is set up in the database between the
officer's steps; every officer step is a click on a visible link or button, and every
page the officer sees is checked with axe.
"""

import csv
import io
import re
import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import expect

from budgets.models import Envelope, Fund, Round
from neighbourhoods.models import Postcode
from proposals.models import Proposal
from tests.accounts.factories import UserFactory
from tests.browser.conftest import AXE_SCRIPT, TOTP_SECRET, authenticator_code, axe_violations
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.proposals.factories import ProposalFactory
from tests.voting.results.factories import cast
from voting.models import VoterCode
from voting.results.models import EnvelopeCount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-passphrase"
AXE_SOURCE = AXE_SCRIPT.read_text()
Phase = Round.Phase


@pytest.fixture
def officer_with_app(council):
    user = UserFactory(
        email="officer@example.test", is_staff=True, council=council, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def places(council, other_council):
    # Another council's places share names, so a leak would show in pickers and filters.
    NeighbourhoodFactory(council=other_council, name="Hillside Splott", population=900)
    return [
        NeighbourhoodFactory(council=council, name="Adamsdown", population=3000),
        NeighbourhoodFactory(council=council, name="Splott", population=1000),
    ]


def checked(page) -> None:
    """Every page the officer reaches passes axe. The page keeps the site's Content
    Security Policy, so axe goes in through the browser's debugging protocol."""
    page.wait_for_load_state()
    page.evaluate(AXE_SOURCE)
    assert axe_violations(page, inject=False) == [], page.url


def wait_until(condition, *, seconds=60.0, what=""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"Timed out waiting for {what}")


def message(page):
    return page.locator("ul.messagelist")


# --- The officer's steps ------------------------------------------------------------


def officer_signs_in_with_two_factor(page):
    page.goto("/admin/")
    checked(page)
    page.get_by_label("Email").fill("officer@example.test")
    page.get_by_text("Council or community staff: sign in with your password").click()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    checked(page)
    page.get_by_label("Code from your authenticator app").fill(authenticator_code())
    page.get_by_role("button").filter(has_text=re.compile("^(Sign in|Confirm|Continue)$")).click()
    page.get_by_role("heading", name="Site administration").wait_for()
    checked(page)


def officer_goes_home(page):
    page.get_by_role("link", name="Home", exact=True).click()


def officer_creates_a_fund(page):
    page.get_by_role("row").get_by_role("link", name="Funds", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Add fund").click()
    checked(page)
    page.get_by_label("Name:", exact=True).fill("Levelling Up Neighbourhoods")
    page.get_by_label("Total in pounds").fill("100,000")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "was added successfully")
    checked(page)


def expect_message(page, text):
    message(page).get_by_text(re.compile(re.escape(text))).first.wait_for()


def choose_in_autocomplete(page, field_label, search, option):
    """Pick a related object by name in the admin's autocomplete (select2)."""
    page.get_by_role("combobox", name=field_label).click()
    page.locator(".select2-search__field").fill(search)
    page.get_by_role("option", name=option).click()


def officer_creates_a_round(page, start):
    officer_goes_home(page)
    page.get_by_role("row").get_by_role("link", name="Rounds", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Add round").click()
    checked(page)
    choose_in_autocomplete(page, "Fund", "Levelling", "Levelling Up Neighbourhoods")
    page.get_by_label("Name:", exact=True).fill("Neighbourhoods Decide 2027")
    for field, day in [
        ("proposals_open_at", 0),
        ("review_starts_at", 14),
        ("voting_opens_at", 21),
        ("voting_closes_at", 35),
    ]:
        when = start + timedelta(days=day)
        page.locator(f"#id_{field}_0").fill(when.strftime("%d/%m/%Y"))
        page.locator(f"#id_{field}_1").fill(when.strftime("%H:%M:%S"))
    page.get_by_label("Ballot rule").select_option(label="Approval: choose any number")
    page.get_by_label("Voters need a voter code").check()
    # A rule needing a minimum of votes, with none given: refused beside that field.
    page.get_by_label(re.compile(r"with a minimum of votes\s*Like “Most votes first”")).check()
    page.get_by_role("button", name="Save and continue editing").click()
    page.locator(".field-min_votes").get_by_text(
        "Give the fewest votes a proposal needs, 1 or more"
    ).wait_for()
    checked(page)
    page.get_by_label(re.compile(r"Most votes first\s*Proposals in order of votes")).check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect_message(page, "was added successfully")
    checked(page)


def officer_splits_the_fund(page):
    page.get_by_role("link", name="Split the fund into envelopes").click()
    checked(page)
    page.get_by_label("How to split").select_option(label="By population")
    page.get_by_label("Amount to split, in pounds").fill("80,000")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("cell", name="£60,000").wait_for()
    checked(page)
    page.get_by_role("button", name="Save these envelopes").click()
    expect_message(page, "The envelopes are saved.")
    checked(page)


def officer_imports_postcodes(page):
    officer_goes_home(page)
    page.get_by_role("row").get_by_role("link", name="Neighbourhoods", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Splott", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Import postcodes").click()
    checked(page)
    page.get_by_label("CSV file of postcodes").set_input_files(
        files=[
            {
                "name": "splott.csv",
                "mimeType": "text/csv",
                "buffer": b"postcode\nCF24 2AB\nCF24 2AD\nnot a postcode\nCF24 2AB\n",
            }
        ]
    )
    page.get_by_role("button", name="Import").click()
    page.get_by_text("not a postcode").first.wait_for()
    checked(page)


def officer_opens_round(page, name):
    officer_goes_home(page)
    page.get_by_role("row").get_by_role("link", name="Rounds", exact=True).click()
    page.get_by_role("link", name=name).click()
    checked(page)


def officer_moves_round_to(page, phase_label):
    page.get_by_role("button", name=f"Move to “{phase_label}”").click()
    expect_message(page, f"The round is now in the phase “{phase_label}”.")
    checked(page)


def officer_is_told_which_ballots_are_empty(page, envelopes):
    """Voting cannot open while a neighbourhood's ballot has no idea on it."""
    page.get_by_role("button", name="Move to “Voting open”").click()
    expect(message(page)).to_contain_text(f"no idea on the ballot yet: {envelopes}")
    expect(page.get_by_text("This round is in the phase “Review”.")).to_be_visible()
    checked(page)


def officer_opens_voting_early(page, ideas_per_envelope):
    """The admin says what each ballot holds, and asks, before opening the vote."""
    page.get_by_role("button", name="Move to “Voting open”").click()
    table = page.get_by_role("table", name="Ideas on each ballot")
    for envelope, ideas in ideas_per_envelope.items():
        expect(table.get_by_role("row", name=f"{envelope} {ideas}")).to_be_visible()
    expect(page.get_by_text("Voting is set to open on")).to_be_visible()
    checked(page)
    page.get_by_role("button", name="Open voting now").click()
    expect_message(page, "The round is now in the phase “Voting open”.")
    expect(page.get_by_text("Opened early on")).to_be_visible()
    checked(page)


def officer_closes_voting_early(page):
    """Voting is due to close in weeks: the admin asks before closing it now."""
    page.get_by_role("button", name="Move to “Voting closed”").click()
    page.get_by_text("This cannot be undone.").wait_for()
    checked(page)
    page.get_by_role("button", name="Close voting now").click()
    expect_message(page, "The round is now in the phase “Voting closed”.")
    # The round says its votes are being counted, or what the count waits for (or, if
    # the count was quicker, offers the results), and offers no Delete that could only
    # be refused.
    counting = page.get_by_text("The votes are being counted now")
    held = page.get_by_text("Counting will wait until this is settled:")
    counted = page.get_by_role("link", name="Review the results and publish them")
    expect(counting.or_(held).or_(counted)).to_be_visible()
    expect(page.get_by_role("link", name="Delete", exact=True)).to_have_count(0)
    checked(page)


def officer_opens_idea(page, title):
    officer_goes_home(page)
    page.get_by_role("row").get_by_role("link", name="Proposals", exact=True).click()
    checked(page)
    page.get_by_role("link", name=title).click()
    checked(page)


def officer_reviews_ideas(page):
    officer_opens_idea(page, "Benches by the river")
    page.get_by_label("The council's cost in pounds (optional)").fill("4,500")
    page.get_by_label("Decision").select_option(label="Can be done")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "was changed successfully")
    checked(page)

    officer_opens_idea(page, "A swimming pool")
    page.get_by_label("Decision").select_option(label="Cannot be done")
    page.get_by_label("Reason (residents see this)").fill("It costs far more than Splott's share.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "was changed successfully")

    officer_opens_idea(page, "Street trees")
    page.get_by_label("Decision").select_option(label="Can be done")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "was changed successfully")

    # Two residents suggested the same play area: join them into one.
    officer_goes_home(page)
    page.get_by_role("row").get_by_role("link", name="Proposals", exact=True).click()
    select_rows(page, ["Play area on the green", "New play area"])
    run_action(page, "Join selected duplicate ideas into one")
    checked(page)
    page.get_by_label("Play area on the green").check()
    page.get_by_role("button", name="Confirm").click()
    expect_message(page, "1 idea joined into “Play area on the green”.")
    # The joined duplicate says so; the resident withdrew nothing.
    page.get_by_role("row", name=re.compile("New play area")).get_by_text(
        "Joined into “Play area on the green”"
    ).wait_for()
    checked(page)

    select_rows(page, ["Play area on the green"])
    run_action(page, "Mark selected ideas as can be done")
    expect_message(page, "1 idea changed.")


def select_rows(page, titles):
    for title in titles:
        page.get_by_role("checkbox", name=f"Select this object for an action - {title}").check()


def run_action(page, label):
    page.get_by_role("combobox", name=re.compile("^Action")).select_option(label=label)
    page.get_by_role("button", name="Run").click()


def officer_puts_ideas_on_the_ballot(page, titles):
    officer_goes_home(page)
    page.get_by_role("row").get_by_role("link", name="Proposals", exact=True).click()
    select_rows(page, titles)
    run_action(page, "Put selected ideas on the ballot")
    expect_message(page, f"{len(titles)} ideas changed.")
    checked(page)


def officer_makes_voter_code_letters(page):
    officer_goes_home(page)
    page.get_by_role("link", name="Batches of voter codes", exact=True).click()
    checked(page)
    page.get_by_role("link", name=re.compile("Add batch")).click()
    checked(page)
    choose_in_autocomplete(page, "Envelope", "Splott", re.compile("Splott"))
    page.get_by_label("Number of codes").fill("0")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Make between 1 and 50,000 codes at a time.").first.wait_for()
    checked(page)
    page.get_by_label("Number of codes").fill("25")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("heading", name="Voter code letters").wait_for()
    checked(page)
    # The page refreshes itself until the worker has made the PDF.
    page.get_by_role("link", name="Download the letters (PDF)").wait_for(timeout=60_000)
    checked(page)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the letters (PDF)").click()
    assert pdf.value.path().read_bytes().startswith(b"%PDF-")
    with page.expect_download() as codes:
        page.get_by_role("link", name="Download the codes (CSV)").click()
    assert len(codes.value.path().read_text().splitlines()) == 26


def officer_reviews_and_publishes(page, round_name):
    officer_opens_round(page, round_name)
    page.get_by_role("link", name="Review the results and publish them").click()
    checked(page)
    page.get_by_role("table", name=re.compile("Every proposal in Splott")).wait_for()
    # Splott's four ballots would show how those four people voted: publishing asks.
    expect(page.get_by_text("Only 4 ballots here, fewer than 10")).to_be_visible()
    page.get_by_role("button", name="Publish these results").click()
    expect(message(page)).to_contain_text("Not published: Splott had fewer than 10 ballots")
    checked(page)
    page.get_by_label("Publish Splott even though its 4 ballots show").check()
    page.get_by_role("button", name="Publish these results").click()
    expect_message(page, "are published: residents can see them now")
    # Published: the warning that asked for the tick has gone with it.
    expect(page.get_by_text("Only 4 ballots here, fewer than 10")).to_have_count(0)
    checked(page)


def officer_exports_ideas(page):
    officer_goes_home(page)
    page.get_by_role("row").get_by_role("link", name="Proposals", exact=True).click()
    page.get_by_role("link", name="Export").click()
    checked(page)
    page.get_by_label("Format").select_option(label="csv")
    # "Select all" works under the Content Security Policy.
    fields = page.locator("input[type=checkbox]:not(.select-toggle)")
    page.get_by_role("checkbox", name="Select all").uncheck()
    assert fields.evaluate_all("boxes => boxes.filter(b => b.checked).length") == 0
    page.get_by_role("checkbox", name="Select all").check()
    assert fields.evaluate_all("boxes => boxes.every(b => b.checked)") is True
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    return download.value.path().read_text(encoding="utf-8-sig")


# Chromium reports a download, and an autocomplete search the officer's next keystroke
# replaced, as "aborted": the browser's own doing, not a failure.
ABORTED_BY_THE_BROWSER = re.compile(
    r"net::ERR_ABORTED \S+/admin/(autocomplete/\?|\S+/letters\.(pdf|csv)$|\S+/export/\?)"
)


def failed_requests(page) -> list[str]:
    """Requests that answered 4xx/5xx or never completed."""
    return [r for r in page.failed_requests if not ABORTED_BY_THE_BROWSER.match(r)]


# --- The journey ----------------------------------------------------------------------


def test_an_officer_runs_a_whole_round_from_the_admin(
    page_with_csp, celery_worker, officer_with_app, council, places
):
    page = page_with_csp
    start = timezone.localtime() + timedelta(hours=1)

    officer_signs_in_with_two_factor(page)
    officer_creates_a_fund(page)
    assert Fund.objects.get(council=council).total_pence == 100_000_00

    officer_creates_a_round(page, start)
    round_ = Round.objects.get(name="Neighbourhoods Decide 2027")
    assert (round_.phase, round_.ballot_rule) == (Phase.DRAFT, "approval")

    officer_splits_the_fund(page)
    envelopes = {e.neighbourhood.name: e for e in Envelope.objects.filter(round=round_)}
    assert {n: e.amount_pence for n, e in envelopes.items()} == {
        "Adamsdown": 60_000_00,
        "Splott": 20_000_00,
    }

    officer_imports_postcodes(page)
    assert sorted(Postcode.objects.values_list("postcode", flat=True)) == ["CF24 2AB", "CF24 2AD"]

    officer_opens_round(page, "Neighbourhoods Decide 2027")
    officer_moves_round_to(page, "Proposals open")

    # Residents suggest ideas for Splott.
    splott = envelopes["Splott"]
    for title, cost in [
        ("Benches by the river", 5_000_00),
        ("A swimming pool", 19_000_00),
        ("Street trees", 8_000_00),
        ("Play area on the green", 9_000_00),
        ("New play area", 9_500_00),
        ('=HYPERLINK("http://evil.test")', 1_000_00),
    ]:
        ProposalFactory(
            envelope=splott, title=title, cost_pence=cost, status=Proposal.Status.SUBMITTED
        )

    officer_opens_round(page, "Neighbourhoods Decide 2027")
    officer_moves_round_to(page, "Review")
    officer_reviews_ideas(page)
    ideas = {p.title: p for p in Proposal.objects.filter(envelope=splott)}
    assert ideas["Benches by the river"].adjusted_cost_pence == 4_500_00
    assert ideas["A swimming pool"].status == Proposal.Status.NOT_FEASIBLE
    assert ideas["New play area"].merged_into == ideas["Play area on the green"]

    officer_opens_round(page, "Neighbourhoods Decide 2027")
    officer_is_told_which_ballots_are_empty(page, "Adamsdown, Splott")
    officer_puts_ideas_on_the_ballot(
        page, ["Benches by the river", "Street trees", "Play area on the green"]
    )
    ProposalFactory(
        envelope=envelopes["Adamsdown"], title="Bulb planting", status=Proposal.Status.ON_BALLOT
    )
    officer_opens_round(page, "Neighbourhoods Decide 2027")
    officer_opens_voting_early(page, {"Adamsdown": 1, "Splott": 3})

    officer_makes_voter_code_letters(page)
    assert VoterCode.objects.filter(envelope=splott).count() == 25

    # Residents vote.
    on_ballot = {p.title: p for p in Proposal.objects.filter(status=Proposal.Status.ON_BALLOT)}
    for _ in range(3):
        cast(splott, on_ballot["Benches by the river"], on_ballot["Street trees"])
    cast(splott, on_ballot["Play area on the green"])

    officer_opens_round(page, "Neighbourhoods Decide 2027")
    officer_closes_voting_early(page)
    wait_until(lambda: Round.objects.get(pk=round_.pk).phase == Phase.COUNTED, what="the count")
    assert EnvelopeCount.objects.filter(envelope__round=round_).count() == 2

    officer_reviews_and_publishes(page, "Neighbourhoods Decide 2027")
    round_.refresh_from_db()
    assert round_.phase == Phase.PUBLISHED
    assert Proposal.objects.get(pk=on_ballot["Benches by the river"].pk).status == (
        Proposal.Status.FUNDED
    )

    exported = list(csv.reader(io.StringIO(officer_exports_ideas(page))))
    titles = [row[exported[0].index("title")] for row in exported[1:]]
    # The resident's formula reaches the officer's spreadsheet as text.
    assert '\'=HYPERLINK("http://evil.test")' in titles
    # On every page of the journey: nothing refused by the Content Security Policy (no
    # inline handler, script or style), no console error, and no request that failed.
    assert page.console_errors == []
    assert failed_requests(page) == []
