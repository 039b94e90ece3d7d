"""Trial 16/17, stumbles 3 and 17: the two-factor pages and the invitation's password
page are in the site's own plain words, in English and Welsh, never allauth's default
Title Case English, and choosing a password says what to do next."""

import html
import time

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse
from django.utils import translation

from tests.conftest import with_two_factor

pytestmark = pytest.mark.django_db

ALLAUTH_WORDS = ["Two-Factor Authentication", "Sign In", "Activate Authenticator App"]


def _password_then_code_page(client, officer, language):
    with translation.override(language):
        login, authenticate = reverse("account_login"), reverse("mfa_authenticate")
    response = client.post(login, {"login": officer.email, "password": "a-long-passphrase"})
    assert response["Location"] == authenticate
    return html.unescape(client.get(authenticate).content.decode())


def test_the_two_factor_sign_in_page_is_in_welsh(client, officer):
    page = _password_then_code_page(client, with_two_factor(officer), "cy")
    assert "Rhowch y cod o'ch ap dilysu" in page
    assert "Cod o'ch ap dilysu" in page
    assert ">Mewngofnodi</button>" in page
    assert "Canslo ac allgofnodi" in page
    for words in [*ALLAUTH_WORDS, "Please enter an authenticator code", "Cancel"]:
        assert words not in page


def test_the_two_factor_sign_in_page_in_english_is_in_sentence_case(client, officer):
    page = _password_then_code_page(client, with_two_factor(officer), "en-gb")
    assert "Enter the code from your authenticator app" in page
    assert ">Sign in</button>" in page
    assert 'class="govuk-button govuk-button--secondary"' in page  # Cancel is not primary
    for words in ALLAUTH_WORDS:
        assert words not in page


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en-gb", "Set up two-factor sign-in"), ("cy", "Gosod mewngofnodi dau gam")],
)
def test_setting_up_two_factor_is_in_plain_words(client, officer, language, heading):
    with translation.override(language):
        login, activate = reverse("account_login"), reverse("mfa_activate_totp")
    client.post(login, {"login": officer.email, "password": "a-long-passphrase"})
    page = client.get(activate).content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert 'autocomplete="one-time-code"' in page
    for words in [*ALLAUTH_WORDS, "Authenticator secret"]:
        assert words not in page


def test_the_recovery_codes_say_to_keep_them_off_the_shared_tablet(client, officer):
    client.force_login(officer)
    session = client.session
    session["account_authentication_methods_user"] = str(officer.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()
    with_two_factor(officer)
    RecoveryCodes.activate(officer)
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "Your recovery codes" in page
    assert "Do not leave them on a shared tablet." in page
    assert "Recovery Codes" not in page


def test_an_invited_staff_member_chooses_a_password_and_is_told_to_sign_in(client, officer):
    url = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(officer),
            "key": default_token_generator.make_token(officer),
        },
    )
    response = client.get(url, follow=True)
    page = response.content.decode()
    assert "Choose your password" in page
    assert "Change Password" not in page
    done = client.post(
        response.redirect_chain[-1][0],
        {"password1": "a new long passphrase", "password2": "a new long passphrase"},
        follow=True,
    )
    page = done.content.decode()
    assert "Your password is saved" in page
    assert f'<a class="govuk-button" href="{reverse("account_login")}">Sign in</a>' in page
    assert "Change Password" not in page


def test_a_used_invitation_link_says_what_to_do(client, officer):
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(officer), "key": "not-a-real-key"},
    )
    page = client.get(url, follow=True).content.decode()
    assert "This link no longer works" in page
    assert "Bad Token" not in page
