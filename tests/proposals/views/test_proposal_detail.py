import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.neighbourhoods.factories import AnchorOrganisationFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _get(client, proposal):
    return client.get(reverse("proposals-detail", args=[proposal.pk]))


def test_it_shows_what_a_voter_needs(client, envelope):
    proposal = ProposalFactory(
        envelope=envelope,
        title="Benches",
        cost_pence=9_000_00,
        adjusted_cost_pence=10_500_50,
        status="feasible",
        review_reason="Parks can install these.",
        location_description="Along the river path",
        latitude="51.4816",
        longitude="-3.1791",
    )
    html = _get(client, proposal).content.decode()
    for text in [
        "Benches",
        "£9,000",
        "£10,500.50",
        "£10,500.50 of £90,000",
        "Can be done",
        "Parks can install these.",
        "Along the river path",
        "openstreetmap.org/?mlat=51.481600",
        f"http://testserver/proposals/{proposal.pk}/",
    ]:
        assert text in html


def test_it_says_who_entered_an_idea_for_a_resident(client, envelope):
    anchor = AnchorOrganisationFactory(council=envelope.neighbourhood.council, name="The Hub")
    proposal = ProposalFactory(
        envelope=envelope, resident_name="Mrs Jones", submitted_by_anchor=anchor, status="feasible"
    )
    html = _get(client, proposal).content.decode()
    assert "Mrs Jones" in html
    assert "Entered for them by The Hub" in html


def test_a_draft_is_only_seen_by_its_author(client, resident, envelope):
    proposal = ProposalFactory(
        envelope=envelope, author=resident, status="draft", submitted_at=None
    )
    assert _get(client, proposal).status_code == 404
    client.force_login(UserFactory())
    assert _get(client, proposal).status_code == 404
    client.force_login(resident)
    response = _get(client, proposal)
    assert response.status_code == 200
    assert "Only you can see this" in response.content.decode()
    assert "Submit my idea" in response.content.decode()


def test_a_hidden_idea_shows_only_the_reason(client, envelope):
    proposal = ProposalFactory(
        envelope=envelope, title="Rude words", hidden=True, hidden_reason="Abusive language."
    )
    html = _get(client, proposal).content.decode()
    assert "Abusive language." in html
    assert "Rude words" not in html


def test_a_merged_idea_links_to_the_one_kept(client, envelope):
    kept = ProposalFactory(envelope=envelope, title="Kept idea")
    merged = ProposalFactory(envelope=envelope, status="withdrawn", merged_into=kept)
    html = _get(client, merged).content.decode()
    assert f'href="/proposals/{kept.pk}/"' in html


def test_user_text_is_escaped_everywhere_on_the_page(client, envelope):
    proposal = ProposalFactory(
        envelope=envelope,
        title=XSS[:80],
        summary=XSS,
        description=XSS,
        location_description=XSS,
        review_reason=XSS,
        resident_name=XSS[:80],
        status="not_feasible",
    )
    html = _get(client, proposal).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_an_unknown_idea_is_not_found(client, db):
    assert client.get(reverse("proposals-detail", args=[424242])).status_code == 404
