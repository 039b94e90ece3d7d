"""The sign-in backends, loading the signed-in person (every request does) with
``User.objects.signed_in``; otherwise Django's and allauth's own.

A session names the backend that signed its person in, and only a backend listed in
AUTHENTICATION_BACKENDS may load them; sessions made before these existed name the
backends they replace, so the session store reads those names as these
(``config.sessions``).
"""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from accounts.models import User


class ModelBackend(django_backends.ModelBackend):
    def get_user(self, user_id):
        user = User.objects.signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationBackend(allauth_backends.AuthenticationBackend):
    get_user = ModelBackend.get_user
