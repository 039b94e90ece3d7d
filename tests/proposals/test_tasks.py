import time

import pytest
from django.core import mail

from proposals.services import proposal_review
from proposals.tasks import proposal_status_email
from tests.proposals.factories import ProposalFactory


@pytest.mark.django_db
def test_the_email_names_the_idea_its_status_and_the_reason(resident, envelope):
    proposal = ProposalFactory(
        envelope=envelope,
        author=resident,
        title="Benches",
        status="not_feasible",
        review_reason="The path is too narrow.",
    )
    assert proposal_status_email(proposal.pk) is True
    message = mail.outbox[-1]
    assert message.to == ["resident@example.test"]
    assert "Benches" in message.subject and "cannot be done" in message.subject
    assert "The council's reason: The path is too narrow." in message.body
    assert f"/proposals/{proposal.pk}/" in message.body


@pytest.mark.django_db
def test_it_writes_to_the_contact_address_of_an_idea_entered_by_anchor_staff(envelope):
    proposal = ProposalFactory(
        envelope=envelope, resident_name="Mrs Jones", resident_email="j@example.test"
    )
    assert proposal_status_email(proposal.pk) is True
    assert mail.outbox[-1].to == ["j@example.test"]


@pytest.mark.django_db
def test_it_sends_nothing_without_an_address(envelope):
    proposal = ProposalFactory(envelope=envelope, resident_name="Mrs Jones")
    assert proposal_status_email(proposal.pk) is False
    assert mail.outbox == []


@pytest.mark.celery_worker
def test_a_review_emails_the_author_through_a_real_worker(
    celery_worker, officer, resident, envelope
):
    proposal = ProposalFactory(envelope=envelope, author=resident, title="Benches")
    proposal_review(proposal=proposal, officer=officer, feasible=False, reason="No room.")
    deadline = time.monotonic() + 15
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    assert "No room." in mail.outbox[0].body
