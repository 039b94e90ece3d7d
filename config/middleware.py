"""Requests refused before anything reads them."""

import codecs

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render

# Form bodies are read as one of these; anything else (UTF-16, say) is refused with a 400
# before anything reads the body, rather than failing deep inside Django.
ACCEPTED_CHARSETS = {"utf-8", "ascii", "latin-1", "cp1252"}


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


class FormCharsetMiddleware:
    """400 for a request body in a character set we do not read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = _charset(request.META.get("CONTENT_TYPE", ""))
        if charset is not None and not _accepted(charset):
            return render(
                request,
                "service/bad_request.html",
                {"user": AnonymousUser(), "messages": []},
                status=400,
            )
        return self.get_response(request)


def _accepted(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name in {codecs.lookup(c).name for c in ACCEPTED_CHARSETS}
    except LookupError:
        return False
