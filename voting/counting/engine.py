"""``count(election, rule)``: run a rule and explain its outcome."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from . import explain
from ._numbers import to_fraction
from .greedy import greedy
from .mes import MesData, mes_add1, method_of_equal_shares
from .model import (
    APPROVAL,
    CHOOSE_1,
    ORDINAL,
    Election,
    Number,
    Outcome,
    ProjectResult,
    UnsupportedRule,
)
from .phragmen import phragmen
from .prepare import Prepared, TieBreak, prepare

RULES = ("greedy", "mes", "mes-add1", "mes-add1-greedy", "phragmen")
DEFAULT_RULE = "mes-add1-greedy"


def natural_key(project_id: str):
    """Sort '2' before '10' and 'c2' before 'c10'."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", project_id)
    ]


def check_rule(rule: str, vote_type: str) -> None:
    if rule not in RULES:
        raise UnsupportedRule(f"unknown rule {rule!r}; use one of {', '.join(RULES)}")
    if rule.startswith("mes") and vote_type == ORDINAL:
        raise UnsupportedRule(f"{rule} is not defined for ordinal (ranked) ballots; use greedy")
    if rule == "phragmen" and vote_type not in (APPROVAL, CHOOSE_1):
        raise UnsupportedRule(f"phragmen is only defined for approval ballots, not {vote_type}")


def count(
    election: Election,
    rule: str = DEFAULT_RULE,
    tie_break: TieBreak = "id",
    money: Callable[[Number], str] | None = None,
) -> Outcome:
    """Count an election with one of :data:`RULES`.

    ``tie_break`` is ``"id"`` (the smallest project id, compared as text, wins a tie: the
    pabutools default), ``"id-desc"``, or a list of every project id in priority order.
    ``money`` formats amounts in the reasons (default: the file's own units, 12,345.50).
    """
    check_rule(rule, election.vote_type)
    prep = prepare(election, tie_break)
    return count_prepared(prep, rule, money)


def count_prepared(
    prep: Prepared, rule: str, money: Callable[[Number], str] | None = None
) -> Outcome:
    check_rule(rule, prep.vote_type)
    m = len(prep.ids)
    reasons: dict[int, tuple[str, dict]] = {}
    details: dict[str, object] = {}
    if rule == "greedy":
        funded, left_at_turn = greedy(prep)
        for p in funded:
            reasons[p] = ("greedy_funded", {})
        _unfunded_greedy(prep, left_at_turn, reasons)
    elif rule == "phragmen":
        funded, info = phragmen(prep)
        stop = info["stop_project"]
        for p in funded:
            reasons[p] = ("phragmen_funded", {})
        for p in range(m):
            if p in reasons:
                continue
            if prep.costs[p] > prep.budget:
                reasons[p] = ("over_budget", {})
            elif p == stop:
                reasons[p] = ("phragmen_did_not_fit", {"left": prep.budget - info["spent"]})
            elif prep.votes[p] == 0:
                reasons[p] = ("no_votes", {})
            else:
                reasons[p] = ("phragmen_stopped", {"next": prep.ids[stop]})
    else:
        data = MesData(prep)
        if rule == "mes":
            funded, info = method_of_equal_shares(data)
        else:
            funded, info = mes_add1(data)
            details["increments"] = info["increments"]
            details["runs"] = info["runs"]
        per_voter = info.get("per_voter")
        details["budget_per_voter"] = (
            None if per_voter is None else _real(prep, to_fraction(per_voter))
        )
        free = set(data.free)
        for p in funded:
            reasons[p] = ("free_funded" if p in free else "mes_funded", {})
        short = info.get("short", {})
        if rule == "mes-add1-greedy":
            topup, left_at_turn = greedy(prep, funded)
            for p in topup:
                reasons[p] = ("topup_funded", {})
            funded = funded + topup
            details["topped_up"] = [prep.ids[p] for p in topup]
            _unfunded_greedy(prep, left_at_turn, reasons)
        for p in range(m):
            if p in reasons:
                continue
            if prep.costs[p] > prep.budget:
                reasons[p] = ("over_budget", {})
            elif prep.votes[p] == 0 or not data.is_candidate[p]:
                reasons[p] = ("no_votes", {}) if prep.votes[p] == 0 else ("not_considered", {})
            else:
                left = to_fraction(short[p]) if p in short else None
                reasons[p] = ("share_spent", {"left": left})
    return _outcome(prep, rule, funded, reasons, details, money or explain.money)


def _real(prep: Prepared, scaled) -> Fraction | int:
    return prep.real_money(Fraction(scaled))


def _unfunded_greedy(prep: Prepared, left_at_turn: dict, reasons: dict) -> None:
    for p, left in left_at_turn.items():
        if prep.costs[p] > prep.budget:
            reasons[p] = ("over_budget", {})
        else:
            reasons[p] = ("no_money_left", {"left": left})


def _outcome(
    prep: Prepared, rule: str, funded: list[int], reasons: dict, details, money
) -> Outcome:
    order = {p: i + 1 for i, p in enumerate(funded)}
    results = []
    for p in range(len(prep.ids)):
        code, values = reasons[p]
        cost = prep.real_money(prep.costs[p])
        words = {"cost": money(cost), "next": values.get("next", "")}
        left = values.get("left")
        words["left"] = money(_real(prep, left)) if left is not None else "too little"
        amounts = {"cost": cost}
        if "left" in values:
            amounts["left"] = None if left is None else _real(prep, left)
        if "next" in values:
            amounts["next"] = values["next"]
        results.append(
            ProjectResult(
                project_id=prep.ids[p],
                name=prep.names[p],
                cost=cost,
                votes=prep.votes[p],
                score=prep.real_points(prep.scores[p]),
                funded=p in order,
                reason=code,
                reason_text=explain.reason_text(code, **words),
                funded_order=order.get(p),
                reason_values=amounts,
            )
        )
    selected = tuple(sorted((prep.ids[p] for p in funded), key=natural_key))
    return Outcome(
        rule=rule,
        tie_break=prep.tie_break,
        selected=selected,
        total_cost=prep.real_money(sum(prep.costs[p] for p in funded)),
        budget=prep.real_money(prep.budget),
        results=tuple(results),
        details=details,
    )
