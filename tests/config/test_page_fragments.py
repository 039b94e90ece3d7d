"""The parts of every page kept once per process (the "fragments" cache in base.html and
includes/header.html) still follow the page's language and the person reading it."""

from django.core.cache import caches

from tests.accounts.factories import UserFactory
from tests.conftest import with_two_factor
from tests.neighbourhoods.factories import AnchorOrganisationFactory


def _menus(html: str) -> str:
    return html.split('class="govuk-service-navigation"', 1)[1].split("</header>", 1)[0]


def test_the_kept_footer_follows_the_page_language(client):
    caches["fragments"].clear()
    assert "Privacy notice" in client.get("/").content.decode()
    welsh = client.get("/cy/").content.decode()
    assert "Hysbysiad preifatrwydd" in welsh
    assert "Privacy notice" not in welsh


def test_the_kept_menus_follow_who_is_signed_in(client, resident):
    caches["fragments"].clear()
    staff = with_two_factor(UserFactory(email="aled@anchor.test", is_staff=True))
    client.force_login(resident)
    as_resident = client.get("/").content.decode()
    assert "Your details" in as_resident
    client.force_login(staff)
    AnchorOrganisationFactory().staff.add(staff)
    as_staff = client.get("/").content.decode()
    assert "Polling stations" in as_staff
    client.logout()
    as_nobody = client.get("/").content.decode()
    assert "Sign in" in as_nobody
    assert "Your details" not in as_nobody
    assert "Polling stations" not in as_nobody
