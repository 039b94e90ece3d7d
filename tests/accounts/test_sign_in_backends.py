"""The signed-in person is loaded by the accounts app's backends; sessions made before
them, naming Django's or allauth's backend, still sign their person in."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.urls import reverse

from accounts.backends import ModelBackend
from accounts.models import User
from config.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _signed_in_with(client, user, backend_path: str):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend_path
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


@pytest.mark.parametrize(
    "backend_path",
    [
        "accounts.backends.ModelBackend",
        "accounts.backends.AuthenticationBackend",
        "django.contrib.auth.backends.ModelBackend",  # sessions made before the change
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_session_signs_its_person_in_whichever_backend_it_names(client, resident, backend_path):
    _signed_in_with(client, resident, backend_path)
    response = client.get(reverse("accounts-profile"))
    assert response.status_code == 200
    assert response.wsgi_request.user == resident


def test_a_session_naming_an_unknown_backend_signs_nobody_in(client, resident):
    _signed_in_with(client, resident, "somewhere.else.Backend")
    response = client.get(reverse("accounts-profile"))
    assert response.status_code == 302


def test_the_backend_loads_the_person_and_refuses_an_inactive_or_missing_one(resident):
    backend = ModelBackend()
    loaded = backend.get_user(resident.pk)
    assert loaded == resident and loaded.email == resident.email
    assert backend.get_user(resident.pk + 1000) is None
    User.objects.filter(pk=resident.pk).update(is_active=False)
    assert backend.get_user(resident.pk) is None


def test_the_managers_get_is_the_orms_own(resident):
    assert User.objects.get(pk=resident.pk) == resident
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=resident.pk + 1000)
