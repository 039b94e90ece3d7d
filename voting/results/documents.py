"""The counting program's Markdown files (its README.md) as pages of the site, in GOV.UK
typography. The files are the project's own, but raw HTML in them is still shown as text,
never passed through, and images are not fetched from elsewhere."""

from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from accounts.bilingual import ENGLISH

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
_HTML = RendererHTML()

# GOV.UK Frontend's class for each element the Markdown makes; the rest (code, pre) are
# styled by .nd-markdown in main.scss. A table becomes one block per row on a phone.
_CLASSES = {
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "blockquote_open": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--l govuk-section-break--visible",
    "table_open": "govuk-table nd-table-stack",
    "thead_open": "govuk-table__head",
    "tbody_open": "govuk-table__body",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
    "link_open": "govuk-link",
}
_HEADINGS = {"h1": "govuk-heading-l", "h2": "govuk-heading-m"}  # h3 to h6: small
_RIGHT = "text-align:right"


@dataclass(frozen=True)
class MarkdownPage:
    title: SafeString  # the file's first heading, as HTML (it may hold code)
    title_text: str  # the same as plain text, for the <title>
    body: SafeString  # everything after that heading
    language: str = ENGLISH  # for the written_in filters: the files are in English only


@cache
def markdown_page(path: Path) -> MarkdownPage:
    """The Markdown file as HTML; its first heading, if it starts with one, becomes the
    page's own h1 (else the file's name does). Read once per process: the program's files
    change only with a new release."""
    tokens = _MARKDOWN.parse(path.read_text(encoding="utf-8"))
    for token in tokens:
        _style(token)
    _label_cells(tokens)
    if not tokens or tokens[0].type != "heading_open":
        return MarkdownPage(title=escape(path.name), title_text=path.name, body=_render(tokens))
    return MarkdownPage(
        title=_render(tokens[1].children or [], inline=True),
        title_text=_plain(tokens[1]),
        body=_render(tokens[3:]),  # after heading_open, its inline text and heading_close
    )


def _style(token: Token) -> None:
    if token.type == "heading_open":
        token.attrSet("class", _HEADINGS.get(token.tag, "govuk-heading-s"))
    elif token.type in _CLASSES:
        token.attrSet("class", _CLASSES[token.type])
    # A column's alignment comes as an inline style, which the CSP forbids: a column
    # aligned right (numbers) becomes GOV.UK's numeric one, the others read from the left.
    if token.type in ("th_open", "td_open") and token.attrs.pop("style", None) == _RIGHT:
        token.attrJoin("class", f"{_CLASSES[token.type]}--numeric")
    for child in token.children or []:
        _style(child)


def _label_cells(tokens: list[Token]) -> None:
    """Each table cell names its column, which the phone layout shows before it
    (data-label, see _table-stack.scss)."""
    headers: list[str] = []
    column = 0
    for token, following in pairwise(tokens):
        if token.type == "thead_open":
            headers = []
        elif token.type == "th_open":
            headers.append(_plain(following))
        elif token.type == "tr_open":
            column = 0
        elif token.type == "td_open":
            if column < len(headers) and headers[column]:
                token.attrSet("data-label", headers[column])
            column += 1


def _plain(inline: Token) -> str:
    return "".join(t.content for t in inline.children or [] if t.type in ("text", "code_inline"))


def _render(tokens: list[Token], *, inline: bool = False) -> SafeString:
    render = _HTML.renderInline if inline else _HTML.render
    return mark_safe(render(tokens, _MARKDOWN.options, {}))  # html is off: all text escaped
