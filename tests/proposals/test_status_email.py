"""An idea's status email goes through the outbox: written with the status change, sent
by the outbox's Celery task, rendered from its templates."""

import pytest
from django.core import mail
from django.db import transaction

from outbox.models import Message
from outbox.tasks import deliver
from proposals.models import Proposal
from proposals.services import proposal_review
from proposals.tasks import send_status_email
from tests.proposals.factories import ProposalFactory
from tests.waiting import wait_for


@pytest.mark.django_db
def test_the_email_names_the_idea_its_status_and_the_reason(resident, envelope):
    proposal = ProposalFactory(
        envelope=envelope,
        author=resident,
        title="Benches",
        status="not_feasible",
        review_reason="The path is too narrow.",
    )
    send_status_email(proposal.pk)
    [message] = mail.outbox
    assert message.to == ["resident@example.test"]
    assert "Benches" in message.subject and "cannot be done" in message.subject
    assert "The council's reason: The path is too narrow." in message.body
    assert f"/proposals/{proposal.pk}/" in message.body


@pytest.mark.django_db
def test_it_writes_to_the_contact_address_of_an_idea_entered_by_anchor_staff(envelope):
    proposal = ProposalFactory(
        envelope=envelope, resident_name="Mrs Jones", resident_email="j@example.test"
    )
    send_status_email(proposal.pk)
    [message] = mail.outbox
    assert message.to == ["j@example.test"]


@pytest.mark.django_db
def test_it_sends_nothing_without_an_address(envelope):
    proposal = ProposalFactory(envelope=envelope, resident_name="Mrs Jones")
    send_status_email(proposal.pk)
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_email_is_written_in_the_status_changes_transaction(officer, resident, envelope):
    proposal = ProposalFactory(envelope=envelope, author=resident, title="Benches")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        proposal_review(proposal=proposal, officer=officer, feasible=False, reason="No room.")
        [message] = Message.objects.all()
        assert (message.kind, message.payload) == (
            "proposals.status_email",
            {"proposal_id": proposal.pk},
        )
        1 / 0  # noqa: B018
    # The change rolled back, and its email with it.
    assert Message.objects.exists() is False
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_review_that_changes_nothing_writes_no_email(officer, resident, envelope):
    proposal = ProposalFactory(
        envelope=envelope, author=resident, status="not_feasible", review_reason="No room."
    )
    proposal_review(proposal=proposal, officer=officer, feasible=False, reason="Still no room.")
    assert Message.objects.exists() is False


@pytest.mark.celery_worker
def test_the_outbox_task_delivers_it_through_a_real_worker(
    celery_worker, officer, resident, envelope
):
    proposal = ProposalFactory(envelope=envelope, author=resident, title="Benches")
    proposal_review(proposal=proposal, officer=officer, feasible=False, reason="No room.")
    assert mail.outbox == []  # nothing is sent by the request itself

    deliver.delay()
    wait_for(lambda: mail.outbox)

    [email] = mail.outbox
    assert email.to == ["resident@example.test"]
    assert "No room." in email.body
    # The worker records the sending after the email has gone: wait for it.
    wait_for(lambda: Message.objects.get(kind="proposals.status_email").sent_at)


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
    send_status_email(proposal.pk)
    [message] = mail.outbox
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
