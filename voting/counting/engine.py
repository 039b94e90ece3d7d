"""``count(election, rule)``: run a rule and explain its outcome."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from . import explain
from ._numbers import to_fraction
from .equalshares import MesData, add1, comparison, method_of_equal_shares
from .greedy import greedy
from .model import Election, Number, Outcome, ProjectResult
from .phragmen import phragmen
from .prepare import Prepared, prepare
from .rules import ALIASES, DEFAULT_RULE, RULES, Eligibility, Rule, check_rule
from .ties import TieBreak

__all__ = ["ALIASES", "DEFAULT_RULE", "RULES", "Eligibility", "count", "count_prepared"]


def natural_key(project_id: str):
    """Sort '2' before '10' and 'c2' before 'c10'."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", project_id)
    ]


def count(
    election: Election,
    rule: str = DEFAULT_RULE,
    tie_break: TieBreak = "id",
    money: Callable[[Number], str] | None = None,
    eligibility: Eligibility | None = None,
) -> Outcome:
    """Count an election with one of :data:`RULES` (or an alias).

    ``tie_break`` is ``"id"`` (the smallest project id, compared as text, wins a tie: the
    pabutools default), ``"id-desc"``, or a list of every project id in priority order.
    ``money`` formats amounts in the reasons (default: the file's own units, 12,345.50).
    ``eligibility`` adds thresholds; a proposal without votes is never funded.
    """
    check_rule(rule, election.vote_type, eligibility)
    prep = prepare(election, tie_break)
    return count_prepared(prep, rule, money, eligibility)


def eligible_projects(prep: Prepared, eligibility: Eligibility) -> tuple[list[bool], dict]:
    """Which projects may be funded, and the reason for each that may not."""
    budget = prep.real_money(prep.budget)
    allowed: list[bool] = []
    reasons: dict[int, tuple[str, dict]] = {}
    for p in range(len(prep.ids)):
        ok, code = eligibility.allows(
            prep.votes[p],
            prep.real_points(prep.scores[p]),
            prep.real_money(prep.costs[p]),
            prep.num_ballots,
            budget,
        )
        allowed.append(ok)
        if not ok:
            reasons[p] = (code, {})
    return allowed, reasons


def count_prepared(
    prep: Prepared,
    rule: str,
    money: Callable[[Number], str] | None = None,
    eligibility: Eligibility | None = None,
) -> Outcome:
    eligibility = eligibility or Eligibility()
    found = check_rule(rule, prep.vote_type, eligibility)
    eligible, reasons = eligible_projects(prep, eligibility)
    details: dict[str, object] = {}
    if found.phragmen:
        funded = _phragmen(prep, eligible, reasons)
    elif found.equal_shares:
        funded = _equal_shares(prep, found, eligible, reasons, details)
    else:
        funded = _greedy(prep, eligible, reasons, found.no_skip)
    for p in range(len(prep.ids)):
        if p not in reasons:  # pragma: no cover - every rule explains every project
            raise AssertionError(f"no reason for project {prep.ids[p]}")
    if not eligibility.is_default:
        details["min_votes"] = eligibility.min_votes
        details["cost_share_divisor"] = eligibility.cost_share_divisor
    return _outcome(prep, found.name, funded, reasons, details, money or explain.money)


def _greedy(prep, eligible, reasons, no_skip, already=None, code="greedy_funded"):
    funded, left_at_turn, stopped_at = greedy(prep, eligible, already, no_skip)
    for p in funded:
        reasons[p] = (code, {})
    for p, left in left_at_turn.items():
        if prep.costs[p] > prep.budget:
            reasons[p] = ("over_budget", {})
        elif stopped_at is None:
            reasons[p] = ("no_money_left", {"left": left})
        elif p == stopped_at:
            reasons[p] = ("stopped_here", {"left": left})
        else:
            reasons[p] = ("after_stop", {"next": prep.ids[stopped_at]})
    return funded


def _phragmen(prep, eligible, reasons):
    funded, info = phragmen(prep, eligible)
    stop = info["stop_project"]
    for p in funded:
        reasons[p] = ("phragmen_funded", {})
    for p in range(len(prep.ids)):
        if p in reasons:
            continue
        if prep.costs[p] > prep.budget:
            reasons[p] = ("over_budget", {})
        elif p == stop:
            reasons[p] = ("phragmen_did_not_fit", {"left": prep.budget - info["spent"]})
        else:
            reasons[p] = ("phragmen_stopped", {"next": prep.ids[stop]})
    return funded


def _equal_shares(prep, found: Rule, eligible, reasons, details):
    data = MesData(prep, eligible)
    if found.completion is None:
        funded, info = method_of_equal_shares(data)
    else:
        funded, info = add1(data, found.completion)
        details["increments"] = info["increments"]
        details["runs"] = info["runs"]
    per_voter = info.get("per_voter")
    details["budget_per_voter"] = (
        None if per_voter is None else prep.real_money(Fraction(to_fraction(per_voter)))
    )
    if found.comparison:
        by_votes, _left, _stop = greedy(prep, eligible)
        verdict = comparison(prep, funded, by_votes)
        details["comparison"] = verdict
        if verdict["kept"] == "greedy":
            return _greedy(prep, eligible, reasons, False, code="comparison_greedy_funded")
    free = set(data.free)
    for p in funded:
        reasons[p] = ("free_funded" if p in free else "mes_funded", {})
    if found.top_up:
        topup = _greedy(prep, eligible, reasons, False, funded, "topup_funded")
        details["topped_up"] = [prep.ids[p] for p in topup]
        funded = funded + topup
    # What is true of every proposal Equal Shares left out: its supporters' shares were
    # not enough, and (the part a reader checks against the money left on the page) it
    # did or did not fit in the money the outcome leaves. The money its supporters had
    # left is not said: under Add1 their shares were bigger than the real budget allows,
    # so "they had 29,999 of its 30,000" reads as lost by one pound when it never fitted.
    # The top-up's "no money left at its turn" is replaced for the same reason.
    left = prep.budget - sum(prep.costs[p] for p in funded)
    for p in range(len(prep.ids)):
        if p in reasons and reasons[p][0] != "no_money_left":
            continue
        if prep.costs[p] > prep.budget:
            reasons[p] = ("over_budget", {})
        elif not data.is_candidate[p]:
            reasons[p] = ("not_considered", {})
        elif prep.costs[p] > left:
            reasons[p] = ("share_spent_no_room", {"left": left})
        else:
            reasons[p] = ("share_spent", {})
    return funded


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
        words["left"] = money(prep.real_money(left)) if left is not None else "too little"
        amounts: dict[str, Number | str | None] = {"cost": cost}
        if "left" in values:
            amounts["left"] = None if left is None else prep.real_money(left)
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
