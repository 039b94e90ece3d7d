import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_officer_signs_in_with_a_password(client, officer):
    response = client.post(
        reverse("account_login"), {"login": officer.email, "password": "a-long-passphrase"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_staff_without_two_factor_are_sent_to_set_it_up(client, officer):
    client.force_login(officer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_signing_in_without_two_factor_does_not_say_signed_in_beside_set_it_up(client, officer):
    # Found by a trial: "Success: You are signed in." stood beside "Set up two-factor
    # sign-in before using the admin", as if the sign-in were done.
    response = client.post(
        reverse("account_login"),
        {"login": officer.email, "password": "a-long-passphrase", "next": reverse("admin:index")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    html = response.content.decode()
    assert "before using the admin" in html
    assert "You are signed in" not in html


def test_staff_with_two_factor_reach_the_admin(client, officer):
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(officer)
    assert client.get(reverse("admin:index")).status_code == 200


def test_repeated_wrong_passwords_lock_the_account_out(client, officer):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": officer.email, "password": "wrong"})

    response = client.post(
        reverse("account_login"), {"login": officer.email, "password": "a-long-passphrase"}
    )

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("council_staff", "onward"),
    [
        (True, ("admin:index", "Continue to the officers' area")),
        (False, ("stations-list", "Continue to open a polling station")),
    ],
    ids=["officer", "anchor staff"],
)
def test_after_setting_up_two_factor_staff_go_on_to_their_work(
    client, officer, council_staff, onward
):
    # Found by a trial: the recovery codes page was a dead end for staff who had just set
    # up two-factor sign-in on their way to the admin or to open a polling station.
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from tests.conftest import with_two_factor

    if not council_staff:
        officer.council = None
        officer.save()
    with_two_factor(officer)
    RecoveryCodes.activate(officer)
    client.force_login(officer)
    # As just after signing in with the password (the page asks for a recent sign-in).
    import time

    session = client.session
    session["account_authentication_methods_user"] = str(officer.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()
    page = client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == 200
    url, words = onward
    assert f'<a class="govuk-button" href="{reverse(url)}">{words}</a>' in page.content.decode()


def test_two_factor_set_up_right_after_the_password_does_not_ask_for_it_again(client, officer):
    client.post(reverse("account_login"), {"login": officer.email, "password": "a-long-passphrase"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "reauthenticate" not in response.get("Location", "")


def test_an_older_session_is_still_asked_for_the_password(client, officer):
    client.force_login(officer)  # no password typed in this session
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


@pytest.mark.parametrize("staff_page", ["admin:index", "stations-list", "stations-paper-list"])
def test_signing_in_on_the_way_to_a_staff_page_offers_no_resident_account(client, staff_page):
    page = client.get(reverse(staff_page), follow=True)
    assert page.resolver_match.url_name == "account_login"
    html = page.content.decode()
    assert reverse("account_signup") not in html
    assert "Create an account" not in html
    assert "The council sets up accounts for its officers" in html
    # Staff are told how they sign in, not that there is no password to remember.
    assert "open “sign in with your password” below" in html
    assert "there is no password to remember" not in html


def test_a_resident_on_the_way_to_their_ideas_is_still_offered_an_account(client):
    page = client.get(reverse("proposals-mine"), follow=True)
    assert page.resolver_match.url_name == "account_login"
    assert "Create an account" in page.content.decode()
    assert "The council sets up accounts" not in page.content.decode()
    assert "there is no password to remember" in page.content.decode()
