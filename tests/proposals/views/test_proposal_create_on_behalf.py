import pytest
from django.urls import reverse

from proposals.models import Proposal
from tests.accounts.factories import UserFactory
from tests.neighbourhoods.factories import AnchorOrganisationFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "resident_name": "Mrs Jones",
    "resident_email": "jones@example.test",
    "title": "A warm space",
    "summary": "Tea on cold mornings.",
    "description": "Open the hub three mornings a week.",
    "cost": "8400",
    "category": "older_people",
}


@pytest.fixture
def anchor_staff(envelope):
    anchor = AnchorOrganisationFactory(council=envelope.neighbourhood.council, name="The Hub")
    anchor.neighbourhoods.add(envelope.neighbourhood)
    staff = UserFactory(is_staff=True)
    anchor.staff.add(staff)
    return staff


def _url(envelope):
    return reverse("proposals-create-on-behalf", args=[envelope.pk])


def test_anchor_staff_enter_an_idea_for_a_resident(client, anchor_staff, envelope):
    client.force_login(anchor_staff)
    anchor = anchor_staff.anchor_organisations.get()
    response = client.post(_url(envelope), {**GOOD, "anchor": anchor.pk})
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert (proposal.status, proposal.resident_name, proposal.submitted_by_anchor) == (
        "submitted",
        "Mrs Jones",
        anchor,
    )
    assert proposal.entered_by == anchor_staff


def test_the_list_offers_anchor_staff_the_form(client, anchor_staff, envelope):
    client.force_login(anchor_staff)
    html = client.get(reverse("proposals-envelope", args=[envelope.pk])).content.decode()
    assert "Enter an idea for a resident" in html


def test_a_resident_cannot_use_it(client, resident, envelope):
    client.force_login(resident)
    response = client.get(_url(envelope))
    assert response.status_code == 403
    assert "Only staff of a community organisation serving Splott" in response.content.decode()


def test_it_needs_the_residents_name(client, anchor_staff, envelope):
    client.force_login(anchor_staff)
    response = client.post(_url(envelope), {**GOOD, "resident_name": ""})
    assert "Enter the resident&#x27;s name." in response.content.decode()
