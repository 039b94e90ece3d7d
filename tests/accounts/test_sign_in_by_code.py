import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def _code_from_last_email() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def test_a_new_resident_signs_up_with_a_code_and_no_password(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.test", "display_name": "Nia", "home_postcode": "cf24 2ab"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "new@example.test" in mail.outbox[0].to

    response = client.post(response["Location"], {"code": _code_from_last_email()})

    assert response.status_code == 302
    user = User.objects.get(email="new@example.test")
    assert user.display_name == "Nia"
    assert user.home_postcode == "CF24 2AB"
    assert user.has_usable_password() is False
    assert client.get(reverse("accounts-profile")).status_code == 200


def test_an_existing_resident_signs_in_with_an_emailed_code(client, resident):
    response = client.post(reverse("account_request_login_code"), {"email": resident.email})
    assert response.status_code == 302
    code = _code_from_last_email()

    response = client.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(resident.pk)


def test_a_wrong_code_is_refused_with_a_message(client, resident):
    client.post(reverse("account_request_login_code"), {"email": resident.email})

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRNG-CODE"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "That code is not right" in response.content.decode()


def test_code_requests_for_one_address_are_rate_limited(resident):
    # A fresh session each time, as someone trying to flood a resident's inbox would use.
    responses = [
        Client().post(reverse("account_request_login_code"), {"email": resident.email})
        for _ in range(4)
    ]
    assert [r.status_code for r in responses[:3]] == [302, 302, 302]
    assert responses[3].status_code == 200
    assert "Too many tries" in responses[3].content.decode()
    assert len(mail.outbox) == 3


def test_a_malformed_postcode_at_sign_up_is_refused_and_nothing_is_created(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.test", "display_name": "Nia", "home_postcode": "banana"},
    )
    assert response.status_code == 200
    assert "Enter a real UK postcode" in response.content.decode()
    assert User.objects.filter(email="new@example.test").exists() is False
    assert mail.outbox == []
