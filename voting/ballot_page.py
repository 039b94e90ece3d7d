"""The ballot page, drawn once per process for each envelope, language and kind of
reader, with each reader's own parts put into it.

Drawing the whole page (the site's header and footer, the envelope's facts, the rule)
cost more CPU than everything else a voter's visit does, yet it differs between voters
only in a few places: the CSRF token, the CSP nonce, the form's submission key, the
budget meter and the ticks in the ideas. The first drawing for a key is kept with those
places marked ("slots"); later readers get it with their own values put in, so the HTML
is the same as a fresh drawing, byte for byte.

The key holds everything else the page is drawn from: the language and address, every
loaded column of the envelope, its round and fund, its neighbourhood and council (so an
officer's edit draws it afresh at once), the ideas as the page's own query read them,
the facts about the reader that the header's menu uses, and whether they have voted.
Pages with an error or a message, with a query string of their own, and staff readers
(whose menu asks the database), are always drawn in full.
"""

import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.db import models
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from config.lru import LRU

_kept: LRU[list[str]] = LRU(settings.BALLOT_PAGES_KEPT)
# One meter for each language, rule and sum chosen.
_meters: LRU[str] = LRU(settings.BALLOT_PAGES_KEPT)

# The query strings the app's own links give the ballot (the check page's "Change your
# choices"); the page names its own address (the language links), so any other query
# would need a drawing of its own, and anyone could fill the store with them.
_KEPT_QUERIES = ("", "change=1")

# Unguessable, so no text from the database can pass for a slot.
_MARK = f"nd-slot-{secrets.token_hex(16)}-"
SLOTS = ("csrf", "nonce", "submission", "meter", "options")
_SLOT = re.compile(rf"{_MARK}({'|'.join(SLOTS)})\.")
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')


def _slot(name: str) -> str:
    return mark_safe(f"{_MARK}{name}.")


def meter_html(rule, meter) -> str:
    """The budget meter as the page shows it; the same for every voter with the same sum."""
    key = (get_language(), rule, meter)
    html = _meters.get(key)
    if html is None:
        html = render_to_string("voting/_budget_meter.html", {"meter": meter, "rule": rule})
        _meters.put(key, html)
    return html


def _page_key(request, envelope, ideas, context) -> tuple | None:
    user = request.user
    query = request.META.get("QUERY_STRING", "")
    if user.is_staff or query not in _KEPT_QUERIES or len(messages.get_messages(request)):
        return None
    rows = (
        envelope,
        envelope.round,
        envelope.round.fund,
        envelope.neighbourhood,
        envelope.neighbourhood.council,
    )
    columns = tuple(_column_values(row) for row in rows)
    return (
        get_language(),
        get_script_prefix(),
        request.path,
        query,
        bool(user.home_postcode),
        user.is_superuser,
        context["has_ballot"],
        context["age_confirmed"],
        columns,
        tuple(ideas),
    )


_column_names: dict[type, tuple[str, ...]] = {}


def _column_values(row: models.Model) -> tuple:
    """The row's loaded columns. A deferred column (the neighbourhood's boundary) is not
    on the page, and reading it would cost a query; JSON columns are not hashable."""
    deferred = row.get_deferred_fields()
    return tuple(getattr(row, name) for name in _columns(type(row)) if name not in deferred)


def _columns(model: type[models.Model]) -> tuple[str, ...]:
    names = _column_names.get(model)
    if names is None:
        names = tuple(
            f.attname for f in model._meta.concrete_fields if not isinstance(f, models.JSONField)
        )
        _column_names[model] = names
    return names


def _fill(parts: list[str], values: dict[str, str]) -> str:
    # parts alternate: text, slot name, text, ...
    return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


def _values(request, context) -> dict[str, str]:
    nonce = get_nonce(request)
    return {
        "csrf": get_token(request),
        "nonce": str(nonce) if nonce is not None else "",
        "submission": str(context["submission"]),
        "meter": context["meter_html"],
        "options": context["options_html"],
    }


def _skeleton(html: str, values: dict[str, str]) -> list[str] | None:
    """The page with the reader's values marked as slots; None if any value cannot be
    found exactly once (the template changed, or a value occurs by chance elsewhere)."""
    if len(_CSRF.findall(html)) != 1:
        return None
    marked = _CSRF.sub(lambda m: m.group(1) + _slot("csrf") + m.group(3), html)
    for name in ("nonce", "submission", "meter", "options"):
        value = values[name]
        # The nonce is random and on every inline script; the others are on the page once.
        found = marked.count(value) if value else 0
        if found == 0 or (found > 1 and name != "nonce"):
            return None
        marked = marked.replace(value, _slot(name))
    return _SLOT.split(marked)


def render_ballot_page(request, envelope, ideas, context, *, status: int):
    """``render`` of voting/ballot.html, from the kept drawing when there is one."""
    key = _page_key(request, envelope, ideas, context) if status == 200 else None
    if key is not None and context["error"] is None:
        parts = _kept.get(key)
        if parts is not None:
            return HttpResponse(_fill(parts, _values(request, context)))
    html = render_to_string("voting/ballot.html", context, request)
    if key is not None and context["error"] is None:
        parts = _skeleton(html, _values(request, context))
        if parts is not None:
            _kept.put(key, parts)
    return HttpResponse(html, status=status)
