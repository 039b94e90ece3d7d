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
