"""Database sessions, read with one plain statement.

Every request of a signed-in person reads its session; Django's database store builds an
ORM query for it each time, which cost more CPU than the rest of a small request's
queries. Everything else (saving, expiry, cycling keys) is Django's own store.

Sessions name the backend that signed their person in; those made before the accounts
app's backends replaced Django's and allauth's name the old ones, and are read as naming
their replacements, so nobody is signed out by the change.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone

RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "accounts.backends.AuthenticationBackend"
    ),
}


class SessionStore(DatabaseStore):
    def load(self):
        model = self.model
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(
                f'SELECT "session_data" FROM "{model._meta.db_table}" '
                'WHERE "session_key" = %s AND "expire_date" > %s',
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's store does: a key that finds no live session is dropped.
            self._session_key = None
            return {}
        data = self.decode(row[0])
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in RENAMED_BACKENDS:
            data[BACKEND_SESSION_KEY] = RENAMED_BACKENDS[backend]
        return data
