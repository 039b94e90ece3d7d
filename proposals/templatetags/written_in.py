"""Residents write in their own language: their words keep it on a page in another."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def _base(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


@register.filter
def lang_of(proposal) -> str:
    """` lang="en-gb"` for an idea written in English shown on a Welsh page; nothing when
    the idea is in the page's own language, so screen readers read it in the right voice."""
    language = getattr(proposal, "language", "")
    if not language or _base(language) == _base(get_language()):
        return ""
    return format_html(' lang="{}"', language)
