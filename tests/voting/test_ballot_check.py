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
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check your choices" in html
    assert "Benches" in html and "£10,000" in html and "Trees" in html and "£20,000" in html
    assert "£30,000</strong> of £30,000 to spend" in html
    assert "Play area" not in html
    assert html.count('name="choice"') == 4  # two choices, carried by two forms
    assert Ballot.objects.exists() is False


def test_choices_the_rule_refuses_go_back_to_the_ballot_with_what_to_change(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    response = client.post(_url(envelope), _form(on_ballot.values(), check="1"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your vote has not been sent" in html and "Untick proposals costing" in html
    assert Ballot.objects.exists() is False


def test_changing_the_choices_draws_the_ballot_with_them_ticked(
    client, resident, envelope, on_ballot
):
    client.force_login(resident)
    response = client.post(_url(envelope), _form([on_ballot["Trees"]], edit="1"))
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
    assert "Confirm that you are 16 or older" in refused.content.decode()
    checked = client.post(_url(envelope), _form([benches], check="1", age_confirmed="yes"))
    assert 'name="age_confirmed" value="yes"' in checked.content.decode()


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
    assert '<h1 class="govuk-panel__title">Your vote</h1>' in again.content.decode()
    assert Ballot.objects.count() == 1


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
    html = client.post(_url(envelope), _form([on_ballot["Benches"]], check="1")).content.decode()
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
