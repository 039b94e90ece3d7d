"""The "check your choices" step before a vote is sent, and the confirmation after it."""

import uuid

import pytest
from django.urls import reverse

from budgets.models import Round
from voting.models import Ballot

pytestmark = pytest.mark.django_db


def _url(envelope, name="voting-ballot"):
    return reverse(name, kwargs={"envelope_id": envelope.pk})


def _form(choices, key=None, **extra):
    return {"choice": [str(c) for c in choices], "submission": str(key or uuid.uuid4()), **extra}


def test_checking_shows_each_choice_with_its_cost_and_the_total_and_stores_nothing(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    response = client.post(
        _url(envelope), _form([on_ballot["Benches"], on_ballot["Trees"]], check="1")
    )
    # Post-redirect-get: the check page has its own address.
    assert response.status_code == 302
    assert response["Location"] == _url(envelope, "voting-check")
    html = client.get(response["Location"]).content.decode()
    assert "Check your choices" in html
    assert "Benches" in html and "£10,000" in html and "Trees" in html and "£20,000" in html
    assert "£30,000</strong> of £30,000 to spend" in html
    assert "Play area" not in html
    assert html.count('name="choice"') == 2  # carried by the form that sends the vote
    assert Ballot.objects.exists() is False


def test_reloading_the_check_page_shows_the_same_choices_and_the_same_submission_key(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    key = uuid.uuid4()
    client.post(_url(envelope), _form([on_ballot["Trees"]], key, check="1"))
    first = client.get(_url(envelope, "voting-check"))
    again = client.get(_url(envelope, "voting-check"))
    assert first.status_code == again.status_code == 200
    for html in (first.content.decode(), again.content.decode()):
        assert "Check your choices" in html and "Trees" in html and "£20,000" in html
    assert f'name="submission" value="{key}"' in again.content.decode()
    assert Ballot.objects.exists() is False


def test_the_check_page_without_choices_to_check_goes_back_to_the_ballot(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    response = client.get(_url(envelope, "voting-check"))
    assert response.status_code == 302 and response["Location"] == _url(envelope)
    # Once the vote is sent, the check page is done with too.
    client.post(_url(envelope), _form([on_ballot["Trees"]], check="1"))
    client.post(_url(envelope), _form([on_ballot["Trees"]]))
    assert client.get(_url(envelope, "voting-check"))["Location"] == _url(envelope)


def test_choices_the_rule_refuses_go_back_to_the_ballot_with_what_to_change(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    response = client.post(_url(envelope), _form(on_ballot.values(), check="1"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem with your choices" in html and "Untick ideas costing" in html
    # The voter pressed "Continue", not "Send": nothing was sent, so nothing says so.
    assert "Your vote has not been sent" not in html
    assert Ballot.objects.exists() is False


def test_the_over_budget_error_links_to_the_ideas_and_sits_by_them_with_the_total(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    html = client.post(_url(envelope), _form(on_ballot.values(), check="1")).content.decode()
    first = on_ballot["Benches"]
    message = "Your choices cost £45,000, which is £15,000 more than the £30,000 available."
    assert f'<li><a href="#choice-{first}">{message}' in html
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'aria-describedby="ballot-rule ballot-error"' in html
    assert '<p id="ballot-error" class="govuk-error-message">' in html
    assert html.count(message) == 2  # in the summary and by the list


def test_changing_the_choices_draws_the_ballot_with_them_ticked(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    client.post(_url(envelope), _form([on_ballot["Trees"]], check="1"))
    response = client.get(_url(envelope) + "?change=1")
    html = response.content.decode()
    assert (
        f'value="{on_ballot["Trees"]}" aria-describedby="choice-{on_ballot["Trees"]}-hint" checked'
        in html
    )
    assert (
        f'value="{on_ballot["Benches"]}" aria-describedby="choice-{on_ballot["Benches"]}-hint">'
        in html
    )
    assert Ballot.objects.exists() is False


def test_the_minimum_age_is_asked_before_the_check(client, resident, council):
    from tests.voting.conftest import make_voting_envelope

    envelope = make_voting_envelope(council, minimum_age=16)
    benches = envelope.proposals.get(title="Benches").pk
    client.force_login(resident)
    refused = client.post(_url(envelope), _form([benches], check="1"))
    assert refused.status_code == 400
    html = refused.content.decode()
    assert '<li><a href="#age_confirmed">Confirm that you are 16 or older' in html
    assert 'id="age_confirmed-error"' in html
    checked = client.post(
        _url(envelope), _form([benches], check="1", age_confirmed="yes"), follow=True
    )
    assert 'name="age_confirmed" value="yes"' in checked.content.decode()
    changing = client.get(_url(envelope) + "?change=1").content.decode()
    assert 'value="yes" checked' in changing


def test_sending_from_the_check_page_confirms_with_receipt_costs_total_and_next_steps(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    key = uuid.uuid4()
    response = client.post(_url(envelope), _form([on_ballot["Benches"]], key), follow=True)
    html = response.content.decode()
    ballot = Ballot.objects.get()
    assert '<h1 class="govuk-panel__title">Vote sent</h1>' in html
    assert ballot.receipt in html
    assert "£10,000" in html and "Total cost" in html
    assert "What happens next" in html and "Voting closes at" in html
    assert "recorded" not in html
    # The same form sent again (a double click) stores nothing more and says nothing new.
    again = client.post(_url(envelope), _form([on_ballot["Benches"]], key), follow=True)
    assert '<h1 class="govuk-panel__title">Your vote is stored</h1>' in again.content.decode()
    assert Ballot.objects.count() == 1


def test_an_old_form_sent_again_after_a_change_says_it_was_not_stored_again(
    client, resident, envelope, on_ballot
):
    # Tab A sends Benches, tab B then Trees; tab A's form sent again (the back button)
    # stores nothing, and its receipt says why it shows Trees, not what tab A sent.
    client.force_login(resident)
    first = uuid.uuid4()
    client.post(_url(envelope), _form([on_ballot["Benches"]], first), follow=True)
    client.post(_url(envelope), _form([on_ballot["Trees"]]), follow=True)
    again = client.post(_url(envelope), _form([on_ballot["Benches"]], first), follow=True)
    html = again.content.decode()
    assert '<h1 class="govuk-panel__title">Your vote is stored</h1>' in html
    assert "your vote was changed after it, so it was not stored again" in html
    assert "Trees" in html and "Benches" not in html
    assert Ballot.objects.get().choices.get().proposal_id == on_ballot["Trees"]
    # The same form as the vote that stands, sent again, says nothing of the kind.
    last = uuid.uuid4()
    client.post(_url(envelope), _form([on_ballot["Benches"]], last), follow=True)
    same = client.post(_url(envelope), _form([on_ballot["Benches"]], last), follow=True)
    assert "was not stored again" not in same.content.decode()


def test_a_changed_vote_says_so_once(client, resident, envelope, on_ballot):
    client.force_login(resident)
    client.post(_url(envelope), _form([on_ballot["Benches"]]))
    client.get(_url(envelope, "voting-receipt"))
    changed = client.post(_url(envelope), _form([on_ballot["Trees"]]), follow=True)
    assert "Your vote has been changed" in changed.content.decode()
    later = client.get(_url(envelope, "voting-receipt")).content.decode()
    assert "Your vote has been changed" not in later


def test_checking_the_choices_already_sent_offers_nothing_to_send(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    client.post(_url(envelope), _form([on_ballot["Benches"]]))
    html = client.post(
        _url(envelope), _form([on_ballot["Benches"]], check="1"), follow=True
    ).content.decode()
    assert "there is nothing to send" in html
    assert "Send my vote" not in html
    assert _url(envelope, "voting-receipt") in html


def test_the_ballot_says_how_the_votes_will_be_counted(client, resident, council):
    from tests.voting.conftest import make_voting_envelope

    envelope = make_voting_envelope(council, counting_rule=Round.CountingRule.GREEDY)
    client.force_login(resident)
    html = client.get(_url(envelope)).content.decode()
    assert "How the votes will be counted" in html
    assert "funded in that order while the money lasts" in html
