"""The privacy notice and accessibility statement, with each council's own parts."""

from datetime import date

import pytest
from django.urls import reverse

from tests.neighbourhoods.factories import CouncilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled_in():
    return CouncilFactory(
        name="Riverton Council",
        slug="riverton",
        data_controller="Riverton County Borough Council",
        ico_registration="Z1234567",
        privacy_contact="dpo@riverton.test",
        retention="Accounts: 2 years after the last sign-in.",
        accessibility_contact="access@riverton.test",
        accessibility_known_problems="Our PDF leaflets are not tagged.\n",
        accessibility_reviewed_on=date(2026, 11, 1),
    )


def test_the_privacy_notice_names_the_councils_controller_contact_and_retention(client, filled_in):
    html = client.get(reverse("privacy")).content.decode()
    for part in [
        "Riverton County Borough Council",
        "Z1234567",
        'href="mailto:dpo@riverton.test"',
        "Accounts: 2 years after the last sign-in.",
        "article 6(1)(e)",
        "Your rights",
        "Information Commissioner",
    ]:
        assert part in html, part


def test_the_privacy_notice_says_when_no_council_has_filled_it_in(client):
    CouncilFactory(name="Quiet Council", slug="quiet")
    html = client.get(reverse("privacy")).content.decode()
    assert "has not yet added its contact details" in html


def test_the_accessibility_statement_has_status_problems_contact_enforcement_and_date(
    client, filled_in
):
    html = client.get(reverse("accessibility")).content.decode()
    for part in [
        "partially compliant",
        "Our PDF leaflets are not tagged. (Riverton Council)",
        'href="mailto:access@riverton.test"',
        "Equality Advisory and Support Service",
        "last reviewed this statement on 1 November 2026",
    ]:
        assert part in html, part


def test_officers_set_the_councils_parts_in_the_admin(officer_client, council):
    url = reverse("admin:neighbourhoods_council_change", args=[council.pk])
    html = officer_client.get(url).content.decode()
    assert 'name="data_controller"' in html and 'name="accessibility_contact"' in html
