"""Commands and file names a reader types, drawn so that a line never breaks at a hyphen
in them: "add1-" at the end of a line reads as a line-end hyphen, or as two words."""

import re
from collections.abc import Iterable

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A hyphen (or "--") with the character either side of it; "a-b-c" is one run.
HYPHENATED = re.compile(r"[^-\s]?-+(?:[^-\s]-+)*[^-\s]?")


@register.filter
def command(words: str | Iterable[str]) -> SafeString:
    """A command (a string, or its words) as ``nd-command-word`` spans, which move to the
    next line whole, with each hyphen held to its neighbours by an ``nd-command-glue``
    span: a word wider than the whole line breaks anywhere but there (see main.scss)."""
    if isinstance(words, str):
        words = words.split(" ")
    return mark_safe(
        " ".join(format_html('<span class="nd-command-word">{}</span>', _glued(w)) for w in words)
    )


def _glued(word: str) -> SafeString:
    parts, end = [], 0
    for run in HYPHENATED.finditer(word):
        parts += [escape(word[end : run.start()]), _glue(run.group())]
        end = run.end()
    return mark_safe("".join([*parts, escape(word[end:])]))


def _glue(run: str) -> SafeString:
    return format_html('<span class="nd-command-glue">{}</span>', run)
