"""Plain-English reasons why each idea won or lost, for the results page."""

from __future__ import annotations

from fractions import Fraction

from .model import Number


def gettext_noop(message: str) -> str:
    """Mark a sentence for the platform's translation catalogue (``makemessages`` looks for
    this name); the engine itself has no Django and speaks English."""
    return message


# Reason code -> sentence. ``{cost}``, ``{left}`` and ``{next}`` are filled in.
REASONS = {
    "greedy_funded": gettext_noop(
        "Funded: in order of votes its turn came while its cost still fitted in the money left."
    ),
    "mes_funded": gettext_noop(
        "Funded: the people who voted for it could pay for it together from their equal shares "
        "of the money."
    ),
    "topup_funded": gettext_noop(
        "Funded in the top-up: after Equal Shares, the money left over went to the ideas "
        "with the most votes that still fitted."
    ),
    "phragmen_funded": gettext_noop(
        "Funded: its supporters had earned enough between them to pay for it before the count "
        "stopped."
    ),
    "free_funded": gettext_noop("Funded: it costs nothing and people voted for it."),
    "over_budget": gettext_noop("Not funded: it costs {cost}, more than the whole budget."),
    "no_money_left": gettext_noop(
        "Not funded: not enough money left. It costs {cost}, and {left} was left after the "
        "ideas ahead of it in order of votes."
    ),
    "no_votes": gettext_noop("Not funded: nobody voted for it."),
    "below_threshold": gettext_noop(
        "Not funded: it had fewer votes than the smallest number this round set for an "
        "idea to be funded."
    ),
    "below_cost_share": gettext_noop(
        "Not funded: too few people voted for it for what it costs. This round asked that "
        "the share of voters choosing an idea be at least a set part of its share of the "
        "budget."
    ),
    "stopped_here": gettext_noop(
        "Not funded: in order of votes it was next, but it did not fit in the money left "
        "({left}), so the count stopped here, as this round's rule says."
    ),
    "after_stop": gettext_noop(
        "Not funded: the count stopped at the first idea that did not fit in the money "
        "left ({next}), before this one's turn came."
    ),
    "comparison_greedy_funded": gettext_noop(
        "Funded: more voters preferred the outcome by votes to the Equal Shares outcome, so "
        "ideas were funded in order of votes, and its turn came while its cost still "
        "fitted."
    ),
    "share_spent": gettext_noop(
        "Not funded: the people who voted for it did not have enough of their equal shares "
        "left to pay for it. This round's rule does not spend money left over on ideas by "
        "votes."
    ),
    "share_spent_no_room": gettext_noop(
        "Not funded: the people who voted for it did not have enough of their equal shares "
        "left to pay for it, and the money left after the funded ideas ({left}) is less than "
        "its cost ({cost})."
    ),
    "not_considered": gettext_noop(
        "Not funded: Equal Shares measures satisfaction by cost, so an idea that costs "
        "nothing gives its supporters nothing to pay for."
    ),
    "phragmen_did_not_fit": gettext_noop(
        "Not funded: it was next in line but did not fit in the money left ({left}), so the "
        "count stopped here."
    ),
    "phragmen_stopped": gettext_noop(
        "Not funded: the count stopped when the next idea in line ({next}) did not fit "
        "in the money left."
    ),
}


def money(value: Number) -> str:
    """Format money for a sentence: thousands separators, pennies only when needed."""
    if type(value) is int:
        return f"{value:,}"
    value = Fraction(value)
    if value.denominator == 1:
        return f"{int(value):,}"
    cents = round(value * 100)
    if Fraction(cents, 100) == value:
        return f"{cents // 100:,}.{cents % 100:02d}"
    return f"{float(value):,.2f} (exactly {value})"


def reason_text(code: str, **values) -> str:
    return REASONS[code].format(**values)
