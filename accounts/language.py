"""The one home of "which language does this person read": the page's language when they
sign up, then whatever they choose in "Your details". Every email and letter asks here."""

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation

from accounts.models import LANGUAGE_CHOICES


def supported_language(code: str | None) -> str:
    """A language we write in, from any code a browser or page gives ("cy-GB" -> "cy")."""
    try:
        variant = translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE
    known = {value for value, _label in LANGUAGE_CHOICES}
    return variant if variant in known else settings.LANGUAGE_CODE


def page_language() -> str:
    """The language of the page being served (or of the task, outside a request)."""
    return supported_language(translation.get_language())


def in_language_of(user) -> AbstractContextManager[None]:
    """Render inside this to write to ``user`` in their language, in a request or a task."""
    language = getattr(user, "language", None) if user is not None else None
    return translation.override(supported_language(language))
