"""Tell django-axes which account a sign-in attempt was for.

allauth passes ``email`` to ``authenticate()``; the admin and Django's own forms pass
``username``. Lockouts are keyed on that plus the client address.
"""


def username_from_attempt(request, credentials):
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    if request is not None and request.method == "POST":
        return request.POST.get("login", "").strip().lower() or None
    return None
