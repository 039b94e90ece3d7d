"""The demo, as people try it, read in Welsh: every resident page of its council,
neighbourhoods, rounds, ideas and results shows the Welsh names the demo gives and marks
whatever the database holds only in English (ideas, officers' reasons, the accessibility
contact) with lang="en-gb"."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from budgets.models import Envelope, Round
from neighbourhoods.models import Neighbourhood
from proposals.models import Proposal
from tests.welsh.test_pages import assert_welsh, cy

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def demo_pages() -> list[str]:
    urls = [cy("home"), cy("privacy"), cy("accessibility")]
    for neighbourhood in Neighbourhood.objects.select_related("council"):
        urls.append(
            cy(
                "neighbourhoods-detail",
                council_slug=neighbourhood.council.slug,
                slug=neighbourhood.slug,
            )
        )
    for round_ in Round.objects.all():
        urls.append(cy("budgets-round", round_id=round_.pk))
        if round_.phase == Round.Phase.PUBLISHED:
            urls.append(cy("voting-round-results", round_id=round_.pk))
    for envelope in Envelope.objects.select_related("round"):
        urls.append(cy("proposals-envelope", envelope_id=envelope.pk))
        if envelope.round.phase == Round.Phase.PUBLISHED:
            urls.append(cy("voting-results", envelope_id=envelope.pk))
    for proposal in Proposal.objects.public():
        urls.append(cy("proposals-detail", pk=proposal.pk))
    return urls


@pytest.mark.usefixtures("demo")
def test_every_demo_page_in_welsh_marks_its_english(client):
    urls = demo_pages()
    assert len(urls) > 30
    for url in urls:
        assert_welsh(client.get(url), status=200)


@pytest.mark.usefixtures("demo")
def test_the_demo_resident_s_pages_in_welsh(client):
    client.force_login(User.objects.get(email="resident@demo.test"))
    splott = Neighbourhood.objects.get(slug="splott")
    voting = Envelope.objects.get(neighbourhood=splott, round__phase=Round.Phase.VOTING_OPEN)
    for url in [
        cy("neighbourhoods-mine"),
        cy("proposals-mine"),
        cy("voting-ballot", envelope_id=voting.pk),
    ]:
        assert_welsh(client.get(url, follow=True), status=200)


@pytest.mark.usefixtures("demo")
def test_the_demo_shows_its_welsh_names_on_welsh_pages(client):
    splott = Neighbourhood.objects.get(slug="splott")
    html = client.get("/cy" + splott.get_absolute_url()).content.decode()
    assert '<h1 class="govuk-heading-xl">Sblot</h1>' in html
    assert "Cyngor Demo Caerdydd" in html
    assert "Strydoedd Gwyrdd 2026" in html
