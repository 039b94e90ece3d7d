import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from proposals.models import Proposal
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:proposals_proposal_changelist")


@pytest.fixture
def officer_client(client, officer, proposal_admin_permissions):
    officer.user_permissions.add(*proposal_admin_permissions)
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(officer)
    return client


@pytest.fixture
def outsider_client(client, outsider, proposal_admin_permissions):
    outsider.user_permissions.add(*proposal_admin_permissions)
    Authenticator.objects.create(user=outsider, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(outsider)
    return client


def _action(client, action, proposals, **extra):
    data = {"action": action, "_selected_action": [p.pk for p in proposals], **extra}
    return client.post(CHANGELIST, data)


def test_an_officer_sees_their_councils_ideas_only(officer_client, envelope, other_envelope):
    ProposalFactory(envelope=envelope, title="Ours")
    ProposalFactory(envelope=other_envelope, title="Theirs")
    html = officer_client.get(CHANGELIST).content.decode()
    assert "Ours" in html
    assert "Theirs" not in html


def test_another_councils_officer_gets_404(outsider_client, envelope):
    proposal = ProposalFactory(envelope=envelope)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    assert outsider_client.get(url).status_code == 404


def test_the_change_page_records_a_review(officer_client, envelope):
    proposal = ProposalFactory(envelope=envelope)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    assert officer_client.get(url).status_code == 200
    officer_client.post(
        url, {"decision": "feasible", "reason": "Fine.", "council_cost": "3,000", "merged_into": ""}
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.adjusted_cost_pence) == ("feasible", 3_000_00)


def test_the_change_page_needs_a_reason_for_cannot_be_done(officer_client, envelope):
    proposal = ProposalFactory(envelope=envelope)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    response = officer_client.post(url, {"decision": "not_feasible", "reason": ""})
    assert "Give a reason when an idea cannot be done." in response.content.decode()


def test_mark_feasible_in_bulk(officer_client, envelope):
    proposals = ProposalFactory.create_batch(3, envelope=envelope)
    _action(officer_client, "mark_feasible", proposals)
    assert set(Proposal.objects.values_list("status", flat=True)) == {"feasible"}


def test_mark_not_feasible_asks_for_a_reason_first(officer_client, envelope):
    proposals = ProposalFactory.create_batch(2, envelope=envelope)
    response = _action(officer_client, "mark_not_feasible", proposals)
    assert "Why can these ideas not be done?" in response.content.decode()
    assert set(Proposal.objects.values_list("status", flat=True)) == {"submitted"}
    _action(officer_client, "mark_not_feasible", proposals, apply="yes", reason="No land.")
    assert set(Proposal.objects.values_list("review_reason", flat=True)) == {"No land."}


def test_hide_with_a_reason(officer_client, envelope):
    proposal = ProposalFactory(envelope=envelope)
    _action(officer_client, "hide", [proposal], apply="yes", reason="Abusive.")
    proposal.refresh_from_db()
    assert (proposal.hidden, proposal.hidden_reason) == (True, "Abusive.")


def test_only_feasible_ideas_go_on_the_ballot(officer_client, envelope):
    feasible = ProposalFactory(envelope=envelope, status="feasible")
    waiting = ProposalFactory(envelope=envelope)
    response = _action(officer_client, "put_on_ballot", [feasible, waiting])
    feasible.refresh_from_db()
    waiting.refresh_from_db()
    assert (feasible.status, waiting.status) == ("on_ballot", "submitted")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Only ideas that can be done go on the ballot" in m for m in messages)
    # Found by a trial: "… is cannot be done." The status is quoted as the admin shows it.
    assert f"“{waiting.title}” is marked “Waiting for review”." in " ".join(messages)


def test_merge_duplicates_into_the_chosen_idea(officer_client, envelope):
    kept, duplicate = ProposalFactory.create_batch(2, envelope=envelope)
    response = _action(officer_client, "merge", [kept, duplicate])
    assert "Which idea should be kept?" in response.content.decode()
    response = _action(officer_client, "merge", [kept, duplicate], apply="yes", into=kept.pk)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    # Found by a trial: the joined duplicate was listed as "Withdrawn", and "1 idea changed."
    messages = [str(m) for m in response.wsgi_request._messages]
    assert f"1 idea joined into “{kept.title}”." in messages
    listed = officer_client.get(reverse("admin:proposals_proposal_changelist")).content.decode()
    assert f"Joined into “{kept.title}”" in listed


def test_bulk_actions_cannot_reach_another_councils_ideas(outsider_client, envelope):
    proposal = ProposalFactory(envelope=envelope)
    _action(outsider_client, "mark_feasible", [proposal])
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_keeping_the_decision_but_changing_the_cost_saves_the_cost(officer_client, envelope):
    proposal = ProposalFactory(envelope=envelope, status=Proposal.Status.FEASIBLE)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    response = officer_client.post(url, {"decision": "", "reason": "", "council_cost": "2,750"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.adjusted_cost_pence) == ("feasible", 2_750_00)
    assert proposal.history.latest().adjusted_cost_pence == 2_750_00


def test_a_refused_review_never_says_changed_successfully(officer_client, envelope):
    proposal = ProposalFactory(envelope=envelope, status=Proposal.Status.FEASIBLE)
    Round = proposal.envelope.round.__class__
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_OPEN)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    response = officer_client.post(
        url, {"decision": "not_feasible", "reason": "Too late.", "council_cost": ""}, follow=True
    )
    html = response.content.decode()
    assert "Ideas can only be reviewed before voting opens." in html
    assert "changed successfully" not in html
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.FEASIBLE


def test_reverting_an_idea_is_refused_with_the_reason(officer_client, envelope):
    proposal = ProposalFactory(envelope=envelope)
    version = proposal.history.earliest()
    url = reverse("admin:proposals_proposal_simple_history", args=[proposal.pk, version.history_id])
    response = officer_client.post(url, {})
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("changed by reviewing it again" in m for m in messages)


def test_the_change_page_records_a_reason_in_welsh_beside_the_english(officer_client, envelope):
    proposal = ProposalFactory(envelope=envelope)
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    html = officer_client.get(url).content.decode()
    assert 'class="form-row flex-container form-multiline field-reason field-reason_cy"' in html
    officer_client.post(
        url,
        {
            "decision": "not_feasible",
            "reason": "The land belongs to the railway.",
            "reason_cy": "Y rheilffordd biau'r tir.",
            "council_cost": "",
            "merged_into": "",
        },
    )
    proposal.refresh_from_db()
    assert (proposal.review_reason, proposal.review_reason_cy) == (
        "The land belongs to the railway.",
        "Y rheilffordd biau'r tir.",
    )


def test_hide_with_a_reason_in_both_languages(officer_client, envelope):
    proposal = ProposalFactory(envelope=envelope)
    _action(
        officer_client, "hide", [proposal], apply="yes", reason="Abusive.", reason_cy="Sarhaus."
    )
    proposal.refresh_from_db()
    assert (proposal.hidden_reason, proposal.hidden_reason_cy) == ("Abusive.", "Sarhaus.")
