import uuid

import pytest
from django.urls import reverse

from budgets.models import Round
from voting.models import Ballot

pytestmark = pytest.mark.django_db


def _url(envelope, name="voting-ballot"):
    return reverse(name, kwargs={"envelope_id": envelope.pk})


def _post(client, envelope, choices, **extra):
    data = {"choice": [str(c) for c in choices], "submission": str(uuid.uuid4()), **extra}
    return client.post(_url(envelope), data)


def test_it_asks_visitors_to_sign_in(client, envelope):
    response = client.get(_url(envelope))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_shows_the_ballot_with_the_rule_and_meter(client, resident, envelope):
    client.force_login(resident)
    html = client.get(_url(envelope)).content.decode()
    assert "Benches" in html and "Play area" in html and "Trees" in html
    assert "as long as their costs add up to £30,000 or less" in html
    assert 'aria-live="polite"' in html


def test_sending_a_valid_ballot_leads_to_the_receipt(client, resident, envelope, on_ballot):
    client.force_login(resident)
    response = _post(client, envelope, [on_ballot["Benches"], on_ballot["Play area"]])
    assert response.status_code == 302
    assert response["Location"] == _url(envelope, "voting-receipt")
    receipt = client.get(response["Location"]).content.decode()
    assert Ballot.objects.get().receipt in receipt
    assert "Benches" in receipt


def test_an_over_budget_ballot_is_refused_with_what_to_change(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    response = _post(client, envelope, on_ballot.values())
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your vote has not been sent" in html
    assert "Untick ideas costing at least £15,000." in html
    assert html.count(" checked>") == 3  # the voter's choices are kept on the page
    assert Ballot.objects.exists() is False


def test_checking_choices_stores_nothing(client, resident, envelope, on_ballot):
    client.force_login(resident)
    response = _post(client, envelope, [on_ballot["Trees"]], check="1")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "£20,000</strong> of £30,000 to spend" in response.content.decode()
    assert Ballot.objects.exists() is False


def test_the_meter_fragment_adds_up_the_choices(client, resident, envelope, on_ballot):
    client.force_login(resident)
    response = client.get(
        _url(envelope, "voting-meter"),
        {"choice": [on_ballot["Trees"], on_ballot["Play area"]]},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "£35,000 of £30,000 chosen" in html
    assert "£5,000 over the budget" in html


def test_a_second_ballot_replaces_the_first(client, resident, envelope, on_ballot):
    client.force_login(resident)
    _post(client, envelope, [on_ballot["Benches"]])
    page = client.get(_url(envelope)).content.decode()
    assert "You have already voted" in page
    _post(client, envelope, [on_ballot["Trees"]])
    assert list(Ballot.objects.get().choices.values_list("proposal__title", flat=True)) == ["Trees"]


def test_a_resident_elsewhere_is_told_why_they_cannot_vote(client, envelope):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(home_postcode="SW1A 1AA"))
    html = client.get(_url(envelope)).content.decode()
    assert "SW1A 1AA, is not in Splott, so you cannot vote here" in html


def test_after_voting_closes_the_page_says_so_and_posts_change_nothing(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    assert "Voting has closed" in client.get(_url(envelope)).content.decode()
    assert _post(client, envelope, [on_ballot["Benches"]]).status_code == 403
    assert Ballot.objects.exists() is False


def test_a_missing_submission_key_is_refused_plainly(client, resident, envelope, on_ballot):
    client.force_login(resident)
    response = client.post(_url(envelope), {"choice": [on_ballot["Benches"]]})
    assert response.status_code == 400
    assert "This form was incomplete" in response.content.decode()


def test_proposal_text_is_escaped_on_the_ballot(client, resident, envelope):
    envelope.proposals.update(title="<script>alert(1)</script>")
    client.force_login(resident)
    html = client.get(_url(envelope)).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_the_ballot_page_query_count_is_bounded(
    client, resident, envelope, django_assert_max_num_queries
):
    from proposals.models import Proposal
    from tests.proposals.factories import ProposalFactory

    ProposalFactory.create_batch(20, envelope=envelope, status=Proposal.Status.ON_BALLOT)
    client.force_login(resident)
    # Session, voter; in one round trip: the envelope with the voter's facts, the stored
    # choices, the ideas.
    with django_assert_max_num_queries(3):
        assert client.get(_url(envelope)).status_code == 200


def test_a_cast_has_a_bounded_query_count(
    client, resident, envelope, on_ballot, django_assert_max_num_queries
):
    client.force_login(resident)
    # Session, voter; in the transaction: the round held open, the envelope with the
    # voter's facts and the ideas (one round trip), the submission key with the ballot,
    # its choices, the register and the outbox (one statement); the transaction's start
    # and end.
    with django_assert_max_num_queries(6):
        assert _post(client, envelope, [on_ballot["Benches"]]).status_code == 302


def test_a_changed_idea_shows_on_the_next_ballot_page(client, resident, envelope, on_ballot):
    """The ideas' HTML is kept between pages; any change to an idea draws it afresh."""
    client.force_login(resident)
    assert "Benches" in client.get(_url(envelope)).content.decode()
    envelope.proposals.filter(pk=on_ballot["Benches"]).update(
        title="Picnic benches", adjusted_cost_pence=9_000_00
    )
    html = client.get(_url(envelope)).content.decode()
    assert "Picnic benches" in html and "£9,000" in html


def test_the_ideas_follow_the_page_language_and_the_voters_choices(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    english = client.get(_url(envelope)).content.decode()
    assert "Read more" in english and " checked>" not in english
    welsh = client.get("/cy" + _url(envelope)).content.decode()
    assert "Read more" not in welsh and 'href="/cy/proposals/' in welsh
    assert _post(client, envelope, [on_ballot["Trees"]]).status_code == 302
    again = client.get(_url(envelope)).content.decode()
    assert again.count(" checked>") == 1
    assert (
        f'value="{on_ballot["Trees"]}" aria-describedby="choice-{on_ballot["Trees"]}-hint" checked>'
        in again
    )
