import pytest
from django.core.exceptions import ValidationError

from proposals.models import Proposal
from proposals.services import proposal_create_on_behalf
from tests.accounts.factories import UserFactory
from tests.neighbourhoods.factories import AnchorOrganisationFactory

pytestmark = pytest.mark.django_db

CONTENT = {
    "title": "A warm space",
    "summary": "Tea on cold mornings.",
    "description": "Open the hub three mornings a week.",
    "cost_pence": 800_000,
    "category": Proposal.Category.OLDER_PEOPLE,
}


@pytest.fixture
def anchor(envelope):
    anchor = AnchorOrganisationFactory(council=envelope.neighbourhood.council)
    anchor.neighbourhoods.add(envelope.neighbourhood)
    return anchor


def test_anchor_staff_submit_an_idea_for_a_resident(anchor, envelope):
    staff = UserFactory(is_staff=True)
    anchor.staff.add(staff)
    proposal = proposal_create_on_behalf(
        staff_user=staff, anchor=anchor, envelope=envelope, resident_name="Mrs Jones", **CONTENT
    )
    assert proposal.status == Proposal.Status.SUBMITTED
    assert (proposal.author, proposal.entered_by, proposal.submitted_by_anchor) == (
        None,
        staff,
        anchor,
    )
    assert proposal.author_name == "Mrs Jones"


def test_staff_of_an_anchor_elsewhere_cannot(envelope):
    elsewhere = AnchorOrganisationFactory(council=envelope.neighbourhood.council)
    staff = UserFactory(is_staff=True)
    elsewhere.staff.add(staff)
    with pytest.raises(ValidationError, match="Only staff of a community organisation"):
        proposal_create_on_behalf(
            staff_user=staff, anchor=elsewhere, envelope=envelope, resident_name="A", **CONTENT
        )
