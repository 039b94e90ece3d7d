"""Officers give council-entered names and notes in Welsh in the admin, each Welsh field
beside its English one, and residents' Welsh pages show them."""

import pytest
from django.urls import reverse

from budgets.models import Fund, Round
from neighbourhoods.models import Council
from tests.budgets.factories import RoundFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

WELSH_HELP = "Shown on Welsh pages. If you leave it empty, Welsh pages show the English"


def row(first: str, second: str) -> str:
    return f'class="form-row flex-container form-multiline field-{first} field-{second}"'


def test_the_council_page_puts_each_welsh_field_beside_its_english(officer_client, council):
    url = reverse("admin:neighbourhoods_council_change", args=[council.pk])
    html = officer_client.get(url).content.decode()
    for field in [
        "name",
        "data_controller",
        "privacy_contact",
        "retention",
        "accessibility_contact",
        "accessibility_known_problems",
    ]:
        assert row(field, f"{field}_cy") in html, field
    assert WELSH_HELP in html


def test_an_officer_gives_the_council_its_welsh_name(officer_client, council):
    url = reverse("admin:neighbourhoods_council_change", args=[council.pk])
    response = officer_client.post(
        url,
        {
            "name": council.name,
            "name_cy": "Cyngor Glan-yr-afon",
            "slug": council.slug,
            "retention": "Six years.",
            "retention_cy": "Chwe blynedd.",
        },
    )
    assert response.status_code == 302
    council = Council.objects.get(pk=council.pk)
    assert (council.name_cy, council.retention_cy) == ("Cyngor Glan-yr-afon", "Chwe blynedd.")


def test_the_neighbourhood_and_round_pages_show_the_welsh_name_beside_the_english(
    officer_client, council
):
    neighbourhood = NeighbourhoodFactory(council=council)
    round_ = RoundFactory(fund__council=council, phase=Round.Phase.DRAFT)
    for url in [
        reverse("admin:neighbourhoods_neighbourhood_change", args=[neighbourhood.pk]),
        reverse("admin:neighbourhoods_neighbourhood_add"),
        reverse("admin:budgets_round_change", args=[round_.pk]),
        reverse("admin:budgets_fund_change", args=[round_.fund.pk]),
    ]:
        assert row("name", "name_cy") in officer_client.get(url).content.decode(), url


def test_a_fund_keeps_its_welsh_name_and_source(officer_client, council):
    response = officer_client.post(
        reverse("admin:budgets_fund_add"),
        {
            "name": "Levelling Up Pot",
            "name_cy": "Cronfa Codi'r Gwastad",
            "total": "100,000",
            "source": "The government.",
            "source_cy": "Y llywodraeth.",
        },
    )
    assert response.status_code == 302
    fund = Fund.objects.get(council=council)
    assert (fund.name_cy, fund.source_cy) == ("Cronfa Codi'r Gwastad", "Y llywodraeth.")


def test_a_welsh_page_shows_the_welsh_names_an_officer_gave(client, council):
    neighbourhood = NeighbourhoodFactory(council=council, name="Riverside", name_cy="Glan-yr-afon")
    Council.objects.filter(pk=council.pk).update(name_cy="Cyngor Riverton")
    url = "/cy" + neighbourhood.get_absolute_url()
    html = client.get(url).content.decode()
    assert '<h1 class="govuk-heading-xl">Glan-yr-afon</h1>' in html
    assert '<span class="govuk-caption-l">Cyngor Riverton</span>' in html
    assert "Riverside" not in html


def test_an_english_page_marks_welsh_an_officer_wrote_only_in_welsh(client, council):
    Council.objects.filter(pk=council.pk).update(
        data_controller_cy="Cyngor Riverton",
        privacy_contact_cy="Ysgrifennwch at y swyddog diogelu data",
    )
    html = client.get(reverse("privacy")).content.decode()
    assert 'lang="cy">Ysgrifennwch at y swyddog diogelu data</dd>' in html
