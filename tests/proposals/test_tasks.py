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


@pytest.mark.django_db
def test_the_email_is_plain_text_with_nothing_escaped(resident, envelope, settings):
    settings.SITE_URL = "https://pb.example.test"
    proposal = ProposalFactory(
        envelope=envelope,
        author=resident,
        title='Fish & chips "Friday"',
        status="feasible",
        review_reason="Yes <if> it's dry.",
        adjusted_cost_pence=2_500_50,
    )
    assert proposal_status_email(proposal.pk) is True
    message = mail.outbox[-1]
    assert message.subject == 'Your idea “Fish & chips "Friday"”: can be done'
    assert message.body == (
        "Hello Rhian,\n"
        "\n"
        f"The council has looked at your idea for {envelope.neighbourhood.name}, "
        '“Fish & chips "Friday"”.\n'
        "\n"
        "Its status is now: Can be done.\n"
        "\n"
        "The council's reason: Yes <if> it's dry.\n"
        "\n"
        "The council thinks it would cost £2,500.50.\n"
        "\n"
        f"See your idea: https://pb.example.test/proposals/{proposal.pk}/"
    )
