"""Council-entered text in English and Welsh: a field ``name`` has a twin ``name_cy``.

``obj.local.name`` is the text in the page's language when it is filled in, else the other
one; either way it knows its language, so a page marks English on a Welsh page (and Welsh
on an English page) with ``lang`` (see the ``written_in`` template filters)."""

import re
import unicodedata
from collections.abc import Callable, Iterable

from django.db import models
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

WELSH = "cy"
ENGLISH = "en-gb"


class LocalisedText(str):
    """A string that knows the language it is written in (``language``, as on Proposal)."""

    language: str

    def __new__(cls, value: str, language: str):
        text = super().__new__(cls, value)
        text.language = language
        return text


def is_welsh(code: str | None) -> bool:
    return (code or "").split("-")[0].lower() == WELSH


def localised(obj, field: str, *, language: str | None = None) -> LocalisedText:
    """``field`` of ``obj`` in ``language`` (the active one by default), falling back to
    the other language when that is empty."""
    english = getattr(obj, field) or ""
    welsh = getattr(obj, f"{field}_cy", "") or ""
    if is_welsh(language or translation.get_language()):
        return LocalisedText(welsh, WELSH) if welsh else LocalisedText(english, ENGLISH)
    return LocalisedText(english, ENGLISH) if english or not welsh else LocalisedText(welsh, WELSH)


# The alphabet as a Welsh dictionary orders it: ch after c, dd after d, ll after l and so
# on, each one letter; the letters Welsh borrows (k, q, v, x, z) where English has them.
WELSH_ALPHABET = "a b c ch d dd e f ff g ng h i j k l ll m n o p ph q r rh s t th u v w x y z"
_WELSH_RANK = {letter: rank for rank, letter in enumerate(WELSH_ALPHABET.split())}
_WELSH_LETTER = re.compile("|".join(sorted(_WELSH_RANK, key=len, reverse=True)) + "|.")


def _plain(text: str) -> str:
    """Lower case without accents: "Ŵyl" and "wyl" sort together."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def collation_key(text: str, language: str | None = None) -> tuple:
    """``text`` as a dictionary in ``language`` (the page's by default) orders it, ignoring
    case and accents: in Welsh, "Llandaf" comes after "Lôn" and "Rhath" after "Rumney"."""
    plain = _plain(text)
    if not is_welsh(language or translation.get_language()):
        return tuple((1, c) if c.isalpha() else (0, c) for c in plain)
    return tuple(
        (1, _WELSH_RANK[letter]) if letter in _WELSH_RANK else (0, letter)
        for letter in _WELSH_LETTER.findall(plain)
    )


def sorted_by_name[T](items: Iterable[T], name: Callable[[T], str]) -> list[T]:
    """``items`` in the order of the names a page shows for them (``name(item)``, usually
    ``obj.local.name``), as a reader of the page's language expects."""
    return sorted(items, key=lambda item: collation_key(name(item)))


def in_other_language(value) -> str:
    """The language of ``value`` (``LocalisedText``, a Proposal) when it differs from the
    page's, else ""."""
    language = getattr(value, "language", "") or ""
    page = translation.get_language()
    if not language or language.split("-")[0].lower() == (page or "").split("-")[0].lower():
        return ""
    return language


def mark(value, language: str | None = None) -> SafeString:
    """``value`` as HTML, in a ``<span lang>`` when it is in another language than the
    page's (``language`` overrides the one it carries)."""
    language = in_other_language(value) if language is None else language
    if not language:
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', language, value)


class MarkedMessage(str):
    """A sentence with names in it (``obj.local.name``): as a string, plain text (for
    errors, logs and emails); on a page, each name marked with its own language.
    ``braces`` fills ``{name}`` places (``str.format``) rather than ``%(name)s``."""

    _html: str

    def __new__(cls, message: str, values: dict, *, braces: bool = False):
        fill = str.format_map if braces else str.__mod__
        text = super().__new__(cls, fill(message, values))
        # Text is escaped and marked; numbers stay numbers for %d.
        marked = {key: mark(v) if isinstance(v, str) else v for key, v in values.items()}
        text._html = mark_safe(fill(conditional_escape(message), marked))
        return text

    def __html__(self) -> str:
        return self._html

    def __reduce__(self):
        return (str, (str(self),))  # stored (cache, session) as the plain text


class _Local:
    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def __getattr__(self, field: str) -> LocalisedText:
        if field not in self._obj.bilingual_fields:
            raise AttributeError(field)
        return localised(self._obj, field)


class Bilingual:
    """Mixin for models whose ``bilingual_fields`` each have a ``<field>_cy`` twin:
    templates read ``{{ obj.local.name }}``, Python ``obj.local.name`` or ``localised()``."""

    bilingual_fields: tuple[str, ...] = ()

    @property
    def local(self) -> _Local:
        return _Local(self)


WELSH_HELP = _(
    "Shown on Welsh pages. If you leave it empty, Welsh pages show the English, marked as "
    "English for screen readers."
)


def welsh_char_field(verbose_name, max_length: int):
    """The Welsh twin of a CharField: optional, as long as the English."""
    return models.CharField(verbose_name, max_length=max_length, blank=True, help_text=WELSH_HELP)


def welsh_text_field(verbose_name, **kwargs):
    """The Welsh twin of a TextField: optional."""
    return models.TextField(verbose_name, blank=True, help_text=WELSH_HELP, **kwargs)
