"""The Welsh catalogues, read with Babel: what the tests check pages and emails against."""

import re
from collections.abc import Iterable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import allauth
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po",
    ROOT / "stations" / "locale" / "cy" / "LC_MESSAGES" / "django.po",
]
# allauth has no Welsh: any of its English on a Welsh page is a template or message we
# have not yet put in the site's own words.
ALLAUTH_ENGLISH = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Placeholders and markup split a message into the literal English a page would show.
SPLIT = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>|%%")
MIN_WORDS = 2
MIN_LENGTH = 10


def messages():
    """Every message of both catalogues as (catalogue path, Babel message)."""
    for path in CATALOGUES:
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if message.id:
                yield path, message


def _literal_pieces(msgid: str):
    for piece in SPLIT.split(msgid):
        piece = _normal(piece).strip(" .,:;“”\"'()")
        if len(piece.split()) >= MIN_WORDS and len(piece) >= MIN_LENGTH:
            yield piece


def _normal(text: str) -> str:
    return " ".join(text.split())


@cache
def english_fragments() -> frozenset[str]:
    """Pieces of English that appear only on a page that escaped translation: the literal
    parts of each msgid whose Welsh differs, long enough not to be a name or a code, and
    found in no Welsh translation (so "CSV" or "Pabulib" never count)."""
    welsh_text, fragments = [], set()
    for _path, message in messages():
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        welsh_text.extend(strings)
        if ids[0] in strings:
            continue
        for msgid in ids:
            fragments.update(_literal_pieces(msgid))
    with ALLAUTH_ENGLISH.open("rb") as handle:
        for message in read_po(handle):
            for msgid in [message.id] if isinstance(message.id, str) else message.id:
                fragments.update(_literal_pieces(msgid or ""))
    welsh = _normal(" ".join(welsh_text))
    return frozenset(f for f in fragments if f not in welsh)


class _VisibleText(HTMLParser):
    """The text a reader meets (and alt, title, aria-label, placeholder), leaving out
    scripts, styles and anything marked lang="en…": English there is declared English."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}  # fmt: skip
    SKIP = {"script", "style", "template"}
    ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: is its text left out?
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        english = (values.get("lang") or "").lower().startswith("en")
        hidden = self._hidden() or english or tag in self.SKIP
        if not hidden:
            self.parts.extend(values[a] for a in self.ATTRIBUTES if values.get(a))
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_startendtag(self, tag, attrs):
        if not self._hidden():
            values = dict(attrs)
            self.parts.extend(values[a] for a in self.ATTRIBUTES if values.get(a))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return _normal(" ".join(parser.parts))


def english_leaks(html: str, database_text: Iterable[str] = ()) -> list[str]:
    """The catalogue's English that a (Welsh) page shows undeclared, longest first.
    ``database_text`` is left out first: an idea called "Older people's lunch club" in a
    page's <title> (which cannot mark a part of itself) is not the category's label."""
    text = visible_text(html)
    for known in sorted(database_text, key=len, reverse=True):
        text = text.replace(known, " ")
    found = [
        fragment
        for fragment in english_fragments()
        if re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text)
    ]
    return sorted(found, key=len, reverse=True)
