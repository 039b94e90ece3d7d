import pytest
from django.urls import reverse

from proposals.models import Proposal, ProposalReport
from tests.proposals.factories import ProposalFactory, PublicProposalFactory

pytestmark = pytest.mark.django_db


def _url(proposal):
    return reverse("proposals-report", args=[proposal.pk])


def test_anyone_can_report_a_public_idea(client, envelope):
    proposal = PublicProposalFactory(envelope=envelope)
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert _url(proposal) in detail
    response = client.post(_url(proposal), {"reason": "personal", "details": "My address"})
    assert response.status_code == 302
    report = ProposalReport.objects.get()
    assert (report.proposal, report.reason, report.details) == (proposal, "personal", "My address")


def test_a_report_without_a_reason_is_refused_and_nothing_is_stored(client, envelope):
    proposal = PublicProposalFactory(envelope=envelope)
    response = client.post(_url(proposal), {"details": "x"})
    assert response.status_code == 400
    assert "Choose what is wrong with this idea" in response.content.decode()
    assert ProposalReport.objects.exists() is False


def test_an_idea_not_shown_cannot_be_reported(client, envelope):
    waiting = ProposalFactory(envelope=envelope, status=Proposal.Status.SUBMITTED)
    assert client.post(_url(waiting), {"reason": "spam"}).status_code == 404
    assert ProposalReport.objects.exists() is False


def test_one_address_can_send_only_so_many_reports_an_hour(client, envelope):
    proposal = PublicProposalFactory(envelope=envelope)
    for _ in range(10):
        client.post(_url(proposal), {"reason": "spam"})
    response = client.post(_url(proposal), {"reason": "spam"})
    assert "Try again in an hour" in response.content.decode()
    assert ProposalReport.objects.count() == 10


def test_officers_see_reports_of_their_own_councils_ideas_only(
    officer_client, envelope, other_envelope
):
    ours = ProposalReport.objects.create(
        proposal=PublicProposalFactory(envelope=envelope, title="Ours"), reason="spam"
    )
    ProposalReport.objects.create(
        proposal=PublicProposalFactory(envelope=other_envelope, title="Theirs"), reason="spam"
    )
    html = officer_client.get(reverse("admin:proposals_proposalreport_changelist")).content
    assert b"Ours" in html and b"Theirs" not in html
    assert ours.proposal.title == "Ours"
