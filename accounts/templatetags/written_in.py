"""Text keeps its own language on a page in another: a resident's idea, or council text
with no translation. Screen readers then read it in the right voice (WCAG 3.1.2)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


def _base(code: str | None) -> str:
    return (code or "").split("-")[0].lower()


def _other_language(value) -> str:
    language = getattr(value, "language", "")
    if not language or _base(language) == _base(get_language()):
        return ""
    return language


@register.filter
def lang_of(value) -> str:
    """` lang="en-gb"` for anything with a ``language`` (an idea, ``obj.local.name``) in
    another language than the page's, for the element that holds it; else nothing."""
    language = _other_language(value)
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def marked(value, source=None) -> SafeString:
    """Inline text (``obj.local.name``), in a ``<span lang>`` when it is in another
    language than the page's; for names inside a sentence. ``source`` gives the language
    of a piece of text cut from it (a line of ``obj.local.notes``)."""
    language = _other_language(value if source is None else source)
    if not language:
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', language, value)
