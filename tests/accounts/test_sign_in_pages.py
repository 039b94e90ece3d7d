"""Signing in and up in the site's own words: routes between them, honest messages,
landing on the resident's neighbourhood, and emails that name the site, not the host."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.neighbourhoods.factories import NeighbourhoodFactory, PostcodeFactory

pytestmark = pytest.mark.django_db


def _code(body: str) -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE).group(1)


@pytest.fixture
def splott(council):
    neighbourhood = NeighbourhoodFactory(council=council, name="Splott", slug="splott")
    PostcodeFactory(neighbourhood=neighbourhood, postcode="CF24 2AB")
    return neighbourhood


def test_the_sign_in_page_links_to_creating_an_account(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert f'href="{reverse("account_signup")}"' in html
    assert "Sign In" not in html and "Remember Me" not in html


def test_the_sign_in_link_keeps_where_the_resident_was_going(client):
    html = client.get(reverse("account_login") + "?next=/envelopes/5/vote/").content.decode()
    assert "/accounts/signup/?next=%2Fenvelopes%2F5%2Fvote%2F" in html


def test_the_sign_up_page_links_back_to_signing_in(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "Create an account" in html
    assert f'href="{reverse("account_login")}"' in html
    assert "Sign Up" not in html


def test_an_unknown_email_is_told_honestly_what_was_sent(client):
    response = client.post(reverse("account_login"), {"login": "nobody@example.test"}, follow=True)
    html = response.content.decode()
    assert "A sign-in code has been sent" not in html
    assert "We have sent an email to nobody@example.test" in html
    assert "If you do not, the email says so" in html
    assert len(mail.outbox) == 1
    assert "no account with this email address" in mail.outbox[0].body
    assert "/accounts/signup/" in mail.outbox[0].body


def test_emails_name_the_site_not_the_host(client, resident):
    client.post(reverse("account_login"), {"login": resident.email})
    message = mail.outbox[-1]
    assert message.subject == "Neighbourhood Democracy: Your sign-in code"
    assert "Neighbourhood Democracy" in message.body
    assert "testserver" not in message.body and "Hello from" not in message.body
    assert _code(message.body)


def test_a_resident_lands_on_their_neighbourhood_after_signing_in(client, resident, splott):
    client.post(reverse("account_login"), {"login": resident.email})
    response = client.post(
        reverse("account_confirm_login_code"), {"code": _code(mail.outbox[-1].body)}, follow=True
    )
    assert response.redirect_chain[-1][0] == splott.get_absolute_url()


def test_a_resident_goes_back_where_they_were_going(client, resident, splott):
    sent = client.post(
        reverse("account_login"), {"login": resident.email, "next": "/proposals/mine/"}
    )
    confirm_page = client.get(sent["Location"]).content.decode()
    assert 'name="next" value="/proposals/mine/"' in confirm_page
    response = client.post(
        sent["Location"], {"code": _code(mail.outbox[-1].body), "next": "/proposals/mine/"}
    )
    assert response["Location"] == "/proposals/mine/"


def test_a_new_resident_lands_on_their_neighbourhood_after_signing_up(client, splott):
    sent = client.post(
        reverse("account_signup"),
        {"email": "new@example.test", "display_name": "Nia", "home_postcode": " cf24  2ab "},
    )
    assert mail.outbox[-1].subject == "Neighbourhood Democracy: Your code to create your account"
    response = client.post(sent["Location"], {"code": _code(mail.outbox[-1].body)})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/neighbourhoods/mine/"
    assert client.get(response["Location"])["Location"] == splott.get_absolute_url()


def test_signing_up_says_so_in_one_box(client, splott):
    sent = client.post(
        reverse("account_signup"),
        {"email": "new@example.test", "display_name": "Nia", "home_postcode": "CF24 2AB"},
    )
    page = client.post(sent["Location"], {"code": _code(mail.outbox[-1].body)}, follow=True)
    messages = [str(message) for message in page.context["messages"]]
    assert messages == ["Your email address new@example.test is confirmed and you are signed in."]


def test_signing_in_by_code_says_only_that(client, resident, splott):
    sent = client.post(reverse("account_request_login_code"), {"email": resident.email})
    page = client.post(sent["Location"], {"code": _code(mail.outbox[-1].body)}, follow=True)
    assert [str(message) for message in page.context["messages"]] == ["You are signed in."]


def test_empty_sign_up_fields_get_plain_messages(client):
    html = client.post(reverse("account_signup"), {}).content.decode()
    for message in ["Enter your email address", "Enter your name", "Enter your home postcode"]:
        assert message in html
    assert "This field is required." not in html


def test_a_signed_in_resident_has_their_ideas_and_details_in_the_header(client, resident):
    client.force_login(resident)
    html = client.get("/").content.decode()
    assert f'href="{reverse("proposals-mine")}">Your ideas' in html
    assert f'href="{reverse("accounts-profile")}">Your details' in html
    assert f'href="{reverse("neighbourhoods-mine")}">Your neighbourhood' in html


def test_your_neighbourhood_without_a_matching_postcode_says_why(client, resident):
    client.force_login(resident)
    response = client.get(reverse("neighbourhoods-mine"), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    html = response.content.decode()
    assert "is not in any neighbourhood taking part, so you cannot suggest ideas or vote" in html
    assert "If it is wrong, change it in Your details." in html


def test_the_code_email_is_in_the_resident_s_own_language(client, resident):
    resident.language = "cy"
    resident.save(update_fields=["language"])
    client.post("/cy/accounts/login/", {"login": resident.email})
    message = mail.outbox[-1]
    assert message.subject == "Democratiaeth Cymdogaeth: Eich cod mewngofnodi"
    assert "Eich cod i fewngofnodi i Ddemocratiaeth Cymdogaeth yw:" in message.body
    assert _code(message.body)


def test_the_code_email_follows_the_resident_s_choice_not_the_page(client, resident):
    """Residents choose their language in "Your details"; a Welsh page does not change it."""
    client.post("/cy/accounts/login/", {"login": resident.email})
    assert mail.outbox[-1].subject == "Neighbourhood Democracy: Your sign-in code"
