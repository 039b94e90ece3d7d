"""The main pages under /cy/ show no English from the catalogues: a message whose Welsh
differs but which still reaches a Welsh page in English escaped translation (a string
never marked, a template that skips {% trans %}, an allauth or Django default). English
a resident wrote is allowed only where it is marked lang="en…"."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from budgets.models import Fund, Round
from config.urls import urlpatterns as site_urls
from neighbourhoods.models import Council
from tests.proposals.factories import ProposalFactory
from tests.stations.factories import STAFF_PIN, PollingStationFactory
from tests.voting.conftest import make_voting_envelope
from tests.voting.results.factories import (
    ClosedEnvelopeFactory,
    OnBallotProposalFactory,
    cast,
    every_envelope,
)
from tests.welsh.catalogues import english_leaks
from tests.welsh.database_text import database_english, unmarked_english
from voting.models import Ballot
from voting.results.services import envelope_count, round_publish
from voting.services import voter_codes_generate

pytestmark = pytest.mark.django_db


def _denied(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("odd")


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("cy/test-403/", _denied),
    path("cy/test-400/", _bad),
    path("cy/test-500/", _broken),
    *site_urls,
]


def cy(name, **kwargs) -> str:
    with translation.override("cy"):
        return reverse(name, kwargs=kwargs or None)


def assert_welsh(response, *, status=None):
    """A page drawn in Welsh; forms that refuse input answer 400, as everywhere here."""
    assert response.status_code in ({status} if status else {200, 400}), response
    html = response.content.decode()
    assert '<html lang="cy"' in html
    database = database_english()
    leaks = english_leaks(html, database)
    assert not leaks, f"{response.wsgi_request.path} shows English: {leaks}"
    unmarked = unmarked_english(html, database)
    assert not unmarked, f"{response.wsgi_request.path} shows unmarked English: {unmarked}"


@pytest.fixture(autouse=True)
def council_words(council):
    """The council's own words, in English only, as an officer who has not translated them
    leaves them: every Welsh page must show them marked lang="en-gb" (unmarked_english)."""
    Council.objects.filter(pk=council.pk).update(
        data_controller="Riverton Council Data Team",
        privacy_contact="Write to the data protection officer\nat the Civic Centre",
        retention="Ballots are kept for six years",
        accessibility_contact="Ring the accessibility helpline",
        accessibility_known_problems="Some maps have no text description",
    )


@pytest.fixture
def envelope(council):
    envelope = make_voting_envelope(council, ballot_rule=Round.BallotRule.KNAPSACK)
    Fund.objects.filter(rounds=envelope.round).update(
        name="Levelling Up Pot", source="Money the government gave for levelling up"
    )
    return envelope


@pytest.fixture
def proposal(envelope):
    return envelope.proposals.get(title="Benches")


def test_public_pages(client, envelope, proposal):
    neighbourhood = envelope.neighbourhood
    proposal.location_description = "Next to the bus stop on Splott Road"
    proposal.save()
    for url in [
        cy("home"),
        cy("privacy"),
        cy("accessibility"),
        cy(
            "neighbourhoods-detail",
            council_slug=neighbourhood.council.slug,
            slug=neighbourhood.slug,
        ),
        cy("budgets-round", round_id=envelope.round_id),
        cy("proposals-envelope", envelope_id=envelope.pk),
        cy("proposals-detail", pk=proposal.pk),
        cy("account_login"),
        cy("account_signup"),
        cy("account_request_login_code"),
    ]:
        assert_welsh(client.get(url))


def test_officers_reasons_on_ideas(client, envelope):
    not_feasible = ProposalFactory(
        envelope=envelope,
        title="Skate park",
        status="not_feasible",
        review_reason="The land belongs to the railway",
    )
    hidden = ProposalFactory(
        envelope=envelope,
        title="Rude words",
        status="feasible",
        hidden=True,
        hidden_reason="It named a private person",
    )
    for proposal in (not_feasible, hidden):
        assert_welsh(client.get(cy("proposals-detail", pk=proposal.pk)))


def test_a_postcode_search_and_its_refusal(client, envelope):
    assert_welsh(client.get(cy("home"), {"postcode": "CF24 2AB"}, follow=True))
    assert_welsh(client.get(cy("home"), {"postcode": "SW1A 1AA"}), status=200)


def test_sign_in_code_pages(client, resident):
    response = client.post(cy("account_login"), {"login": resident.email}, follow=True)
    assert_welsh(response)
    wrong = client.post(response.wsgi_request.path, {"code": "WRONG-CODE"})
    assert_welsh(wrong)


def test_sign_up_with_mistakes(client):
    assert_welsh(client.post(cy("account_signup"), {"email": "not an email"}))


def test_resident_pages(client, resident, envelope, proposal):
    client.force_login(resident)
    assert_welsh(client.get(cy("neighbourhoods-mine"), follow=True))
    for url in [
        cy("accounts-profile"),
        cy("accounts-delete"),
        cy("proposals-mine"),
        cy("voting-ballot", envelope_id=envelope.pk),
        cy("proposals-report", pk=proposal.pk),
        cy("account_logout"),
    ]:
        assert_welsh(client.get(url))
    assert_welsh(client.post(cy("accounts-profile"), {"display_name": ""}))
    draft = ProposalFactory(envelope=envelope, author=resident, title="Swings", status="draft")
    assert_welsh(client.get(cy("proposals-detail", pk=draft.pk)))
    # Voting is open, so ideas can no longer be withdrawn: the page says why.
    assert_welsh(client.get(cy("proposals-withdraw", pk=draft.pk)), status=403)
    # Voting is open, so no new ideas: the page that says why.
    assert_welsh(client.get(cy("proposals-create", envelope_id=envelope.pk)), status=403)


def test_ballot_check_and_receipt(client, resident, envelope, proposal):
    client.force_login(resident)
    url = cy("voting-ballot", envelope_id=envelope.pk)
    form = {"choice": [str(proposal.pk)], "submission": str(uuid.uuid4())}
    # The check page is post-then-redirect: follow it to the Welsh page.
    assert_welsh(client.post(url, {**form, "check": "1"}, follow=True))
    too_much = [str(p) for p in envelope.proposals.values_list("pk", flat=True)]
    assert_welsh(client.post(url, {**form, "choice": too_much, "check": "1"}, follow=True))
    receipt = client.post(url, form, follow=True)
    assert_welsh(receipt)
    assert Ballot.objects.get().receipt in receipt.content.decode()


def test_a_refused_points_ballot_names_the_idea_in_its_own_language(client, resident, council):
    envelope = make_voting_envelope(
        council, ballot_rule=Round.BallotRule.CUMULATIVE, points_total=10, points_per_proposal_max=3
    )
    benches = envelope.proposals.get(title="Benches")
    client.force_login(resident)
    form = {f"points-{benches.pk}": "5", "submission": str(uuid.uuid4()), "check": "1"}

    response = client.post(cy("voting-ballot", envelope_id=envelope.pk), form)

    # "Benches" in the Welsh sentence about too many points is marked as English.
    assert "5 pwynt" in response.content.decode()
    assert_welsh(response, status=400)


def test_someone_from_elsewhere_is_told_why_in_welsh(client, envelope):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(email="far@example.test", home_postcode="SW1A 1AA"))
    assert_welsh(client.get(cy("voting-ballot", envelope_id=envelope.pk)))


def test_voter_code_page(client, resident, council, officer):
    envelope = make_voting_envelope(council, requires_voter_code=True)
    client.force_login(resident)
    url = cy("voting-code", envelope_id=envelope.pk)
    assert_welsh(client.get(url))
    assert_welsh(client.post(url, {"code": "AAAA-BBBB-CCCC"}))
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    assert_welsh(client.post(url, {"code": code.code}, follow=True))


def test_results_pages(client, published_envelope):
    assert_welsh(client.get(cy("voting-results", envelope_id=published_envelope.pk)))
    assert_welsh(client.get(cy("voting-round-results", round_id=published_envelope.round_id)))
    assert_welsh(client.get(cy("voting-results-index")))


def test_the_counting_program_and_its_readme(client):
    """The README is in English only: marked so, with the page's own words in Welsh."""
    assert_welsh(client.get(cy("voting-counting-source")))
    with translation.override("cy"):
        readme = reverse("voting-counting-source-file", args=["README.md"])
    assert_welsh(client.get(readme))


def test_results_page_with_the_comparison_step(client, compared_envelope):
    assert_welsh(client.get(cy("voting-results", envelope_id=compared_envelope.pk)))


def test_a_reason_that_names_another_idea_marks_its_title(client, council):
    """Most votes first, stopping at the first idea that does not fit: the idea after it
    is "not funded: the count stopped at … (Youth club)", an English title in Welsh."""
    envelope = ClosedEnvelopeFactory(
        round__fund__council=council,
        round__counting_rule="greedy-no-skip",
        neighbourhood__council=council,
        amount_pence=10_000_00,
    )
    benches = OnBallotProposalFactory(envelope=envelope, title="Park benches", cost_pence=6_000_00)
    youth = OnBallotProposalFactory(envelope=envelope, title="Youth club", cost_pence=5_000_00)
    art = OnBallotProposalFactory(envelope=envelope, title="Street art", cost_pence=1_000_00)
    cast(envelope, benches, youth, art)
    cast(envelope, benches, youth)
    cast(envelope, benches)
    envelope_count(envelope_id=envelope.pk)
    round_publish(
        round_id=envelope.round_id, few_ballots_accepted=every_envelope(envelope.round_id)
    )

    response = client.get(cy("voting-results", envelope_id=envelope.pk))

    assert '(<span lang="en-gb">Youth club</span>)' in response.content.decode()
    assert_welsh(response)


@pytest.fixture
def production_like(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def test_error_pages(production_like):
    client = Client(raise_request_exception=False)
    assert_welsh(client.get("/cy/no-such-page/"), status=404)
    assert_welsh(client.get("/cy/test-403/"), status=403)
    assert_welsh(client.get("/cy/test-400/"), status=400)
    assert_welsh(client.get("/cy/test-500/"), status=500)
    strict = Client(enforce_csrf_checks=True)
    assert_welsh(strict.post(cy("account_login"), {"login": "a@example.test"}), status=403)


def open_tablet(client, envelope, anchor_staff) -> Client:
    station = PollingStationFactory(
        round=envelope.round,
        place="Splott Community Centre",
        neighbourhoods=[envelope.neighbourhood],
    )
    station.anchor.staff.add(anchor_staff)
    client.force_login(anchor_staff)
    assert_welsh(client.get(cy("stations-list")))
    client.post(cy("stations-open", station_id=station.pk), {"pin": STAFF_PIN})
    return client


def test_kiosk_screens(client, envelope, anchor_staff, officer):
    assert_welsh(client.get(cy("stations-kiosk")))  # a tablet not opened as a station
    tablet = open_tablet(client, envelope, anchor_staff)
    assert_welsh(tablet.get(cy("stations-kiosk")))
    assert_welsh(tablet.post(cy("stations-kiosk-code"), {"code": "AAAA-BBBB-CCCC"}))
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    assert_welsh(tablet.post(cy("stations-kiosk-code"), {"code": code.code}, follow=True))
    assert_welsh(tablet.get(cy("stations-kiosk-ballot")))
    benches = envelope.proposals.get(title="Benches")
    choice = {"choice": [benches.pk], "submission": str(uuid.uuid4()), "check": "1"}
    checked = tablet.post(cy("stations-kiosk-ballot"), choice, follow=True)
    assert "Gwirio eich dewisiadau" in checked.content.decode()
    assert_welsh(checked)  # the idea's English title in the list of choices is marked
    assert_welsh(tablet.get(cy("stations-kiosk-unlock")))
    assert_welsh(tablet.post(cy("stations-kiosk-unlock"), {"pin": "0000"}))
    assert_welsh(tablet.post(cy("stations-kiosk-unlock"), {"pin": STAFF_PIN}, follow=True))
    assert_welsh(tablet.get(cy("stations-kiosk-declaration")))
    refused = {
        "name": "Someone Far",
        "postcode": "SW1A 1AA",
        "confirmed": "on",
        "checked_by": anchor_staff.pk,
    }
    assert_welsh(tablet.post(cy("stations-kiosk-declaration"), refused), status=400)
    assert_welsh(tablet.get(cy("stations-kiosk-close")))
    counts = {"codes_issued": 1, "ballots": 0, "spoilt": 1, "refusals": 1, "note": ""}
    closing = {**counts, "closed_by": anchor_staff.pk}
    assert_welsh(tablet.post(cy("stations-kiosk-close"), closing, follow=True))


def test_the_same_pages_in_english_are_caught(client, resident, envelope):
    """The check sees real pages: the English home page and ballot, relabelled as Welsh,
    are full of leaks (and labelled English, as they are, they have none)."""
    client.force_login(resident)
    ballot_url = reverse("voting-ballot", kwargs={"envelope_id": envelope.pk})
    home, ballot = (client.get(url).content.decode() for url in ("/", ballot_url))
    assert english_leaks(home) == []

    def as_welsh(html):
        return html.replace('<html lang="en-gb"', '<html lang="cy"', 1)

    assert "Find your neighbourhood" in english_leaks(as_welsh(home))
    assert len(english_leaks(as_welsh(ballot))) > 3


def test_database_english_without_its_marks_is_caught(client, resident, envelope):
    """The check sees real pages: with their lang="en-gb" marks taken off, the Welsh
    privacy notice and ballot show the council's and residents' English unmarked."""
    client.force_login(resident)
    privacy = client.get(cy("privacy")).content.decode()
    ballot = client.get(cy("voting-ballot", envelope_id=envelope.pk)).content.decode()
    assert unmarked_english(privacy) == unmarked_english(ballot) == []

    def unmarked(html):
        return html.replace(' lang="en-gb"', "")

    assert {"Riverton Council Data Team", "Ballots are kept for six years"} <= set(
        unmarked_english(unmarked(privacy))
    )
    assert {"Splott", "Splott Decides", "Benches", "Trees"} <= set(
        unmarked_english(unmarked(ballot))
    )
