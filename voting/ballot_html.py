"""The ballot page's ideas, drawn as HTML: the biggest part of the page, and the same for
every voter who has chosen nothing yet.

Each row is made ready in Python (ids as plain text, costs in pounds, links) so the
template only places strings. The HTML for a ballot with nothing chosen is kept in this
process, keyed by everything that goes into it (the ideas' ids, titles, summaries, costs
and languages, the rule's form, the page's language and the site's prefix), so a change
to any of them draws it afresh; a voter's choices are then ticked (or their points
filled in) in a copy, exactly as the template would draw them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accounts.templatetags.written_in import lang_of
from budgets.money import format_pence
from config.lru import LRU
from voting.rules import BallotRule
from voting.selectors import BallotIdea

_kept: LRU[str] = LRU(settings.BALLOT_PAGES_KEPT)

_SENTINEL = 987654321


@dataclass(frozen=True)
class OptionRow:
    id: str
    title: str
    summary: str
    cost: str
    url: str
    lang: str
    points: int


def _rows(proposals: list[BallotIdea], choices: dict[int, int]) -> list[OptionRow]:
    # One reverse for the page: every idea's link differs only in its id.
    link = reverse("proposals-detail", kwargs={"pk": _SENTINEL})
    return [
        OptionRow(
            id=str(p.pk),
            title=p.title,
            summary=p.summary,
            cost=format_pence(p.effective_cost_pence),
            url=link.replace(str(_SENTINEL), str(p.pk)),
            lang=lang_of(p),
            points=choices.get(p.pk, 0),
        )
        for p in proposals
    ]


def _draw(rule: BallotRule, proposals: list[BallotIdea], choices: dict[int, int]) -> str:
    return render_to_string(
        "voting/_ballot_options.html", {"rule": rule, "rows": _rows(proposals, choices)}
    )


def options_html(rule: BallotRule, proposals: list[BallotIdea], choices: dict[int, int]) -> str:
    """The ideas of the ballot as form fields, with the voter's ``choices`` filled in."""
    html = _unchosen_html(rule, proposals)
    for p in proposals:
        points = choices.get(p.pk)
        if points:
            html = _choose(html, rule, p.pk, points)
    return mark_safe(html)


def _choose(html: str, rule: BallotRule, pk: int, points: int) -> str:
    """The field of idea ``pk`` filled in, as _ballot_options.html draws a chosen idea.
    Each marker names the idea's own hint, so it occurs once."""
    if rule.uses_points:
        marker = f'aria-describedby="points-{pk}-hint" value=""'
        filled = f'aria-describedby="points-{pk}-hint" value="{localize(points)}"'
        return html.replace(marker, filled, 1)
    marker = f'aria-describedby="choice-{pk}-hint">'
    return html.replace(marker, f'aria-describedby="choice-{pk}-hint" checked>', 1)


def _unchosen_html(rule: BallotRule, proposals: list[BallotIdea]) -> str:
    key = (
        get_language(),
        get_script_prefix(),
        rule.uses_points,
        rule.points_per_proposal_max,
        tuple((p.pk, p.title, p.summary, p.effective_cost_pence, p.language) for p in proposals),
    )
    html = _kept.get(key)
    if html is None:
        html = _draw(rule, proposals, {})
        _kept.put(key, html)
    return html
