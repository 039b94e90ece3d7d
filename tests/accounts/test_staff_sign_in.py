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
