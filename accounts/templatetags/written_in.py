"""Text keeps its own language on a page in another: a resident's idea, or council text
with no translation. Screen readers then read it in the right voice (WCAG 3.1.2)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.bilingual import in_other_language, mark

register = template.Library()


@register.filter
def lang_of(value) -> str:
    """` lang="en-gb"` for anything with a ``language`` (an idea, ``obj.local.name``) in
    another language than the page's, for the element that holds it; else nothing."""
    language = in_other_language(value)
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def marked(value, source=None) -> SafeString:
    """Inline text (``obj.local.name``), in a ``<span lang>`` when it is in another
    language than the page's; for names inside a sentence. ``source`` gives the language
    of a piece of text cut from it (a line of ``obj.local.notes``)."""
    return mark(value, None if source is None else in_other_language(source))
