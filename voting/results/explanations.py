"""Plain-English text for the results: how each rule counts, and why each idea won
or lost, worded in the reader's language from the amounts stored with the count.
"""

import ast
from collections.abc import Mapping
from fractions import Fraction

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.bilingual import MarkedMessage
from budgets.money import format_pence
from voting.counting.explain import REASONS

# Equal Shares with Add1 explained; the other Add1 rules add a sentence.
EQUAL_SHARES_ADD1 = [
    _(
        "This is the Method of Equal Shares. The budget was split into equal shares, one "
        "for each person who voted, and an idea was funded when its supporters could "
        "pay for it together from their shares."
    ),
    _(
        "Because equal shares can leave money unspent, the count was run again with "
        "slightly bigger shares, as long as the ideas chosen still fitted in the real "
        "budget."
    ),
]

HOW_COUNTED = {
    "greedy": [
        _("Ideas were put in order of votes, most first."),
        _(
            "Going down that list, each idea was funded if its cost fitted in the money "
            "still left. An idea that did not fit was skipped, and the count went on to "
            "cheaper ideas below it."
        ),
    ],
    "equalshares": [
        _(
            "This is the Method of Equal Shares. The budget was split into equal shares, one "
            "for each person who voted."
        ),
        _(
            "An idea was funded when the people who voted for it could pay its cost "
            "together from their shares. At each step the idea that cost its supporters "
            "the least each was funded first, so money follows what many people want, and "
            "smaller groups still get a fair part of the budget."
        ),
    ],
    "equalshares/add1": EQUAL_SHARES_ADD1,
    "equalshares/add1-comparison": [
        *EQUAL_SHARES_ADD1,
        _(
            "Then the outcome was compared with the ideas most votes would have funded. "
            "Each voter was counted as preferring the outcome that funded more of the "
            "ideas they chose; had more voters preferred the one by votes, it would have "
            "been used instead. How many voters preferred each is shown below."
        ),
    ],
    "equalshares/add1-greedy": [
        *EQUAL_SHARES_ADD1,
        _(
            "Any money still left then went to the ideas with the most votes that still "
            "fitted in it."
        ),
    ],
    # Counts made before the rules took pabulib's names.
    "mes-add1": EQUAL_SHARES_ADD1,
    "mes-add1-greedy": [
        *EQUAL_SHARES_ADD1,
        _(
            "Any money still left then went to the ideas with the most votes that still "
            "fitted in it."
        ),
    ],
    "greedy-no-skip": [
        _("Ideas were put in order of votes, most first."),
        _(
            "Going down that list, each idea was funded while its cost fitted in the money "
            "still left. The count stopped at the first idea that did not fit."
        ),
    ],
    "greedy-threshold": [
        _(
            "Only ideas with at least the round's smallest number of votes could be "
            "funded. They were put in order of votes, most first."
        ),
        _(
            "Going down that list, each idea was funded if its cost fitted in the money "
            "still left. An idea that did not fit was skipped, and the count went on to "
            "cheaper ideas below it."
        ),
    ],
    "phragmen": [
        _("This is sequential Phragmén."),
        _(
            "Each voter earns money for the ideas they chose at the same steady rate. An "
            "idea was funded as soon as its supporters had earned its cost between them; "
            "then they started again from nothing. The count stopped when the next idea "
            "to be paid for no longer fitted in the budget."
        ),
    ],
}

# Said to residents, who need not know "dictionary order": the comparison, step by step.
TIE_BREAKS = {
    "id": _(
        "If two ideas were exactly level at any point in the count, their reference "
        "numbers decided which went first. The numbers are compared one digit at a time, "
        "from the left: the idea whose first digit is lower goes first, and if those are "
        "the same, the one whose second digit is lower, and so on. So idea 12 goes before "
        "idea 9, because its first digit, 1, is lower than 9."
    ),
    "id-desc": _(
        "If two ideas were exactly level at any point in the count, their reference "
        "numbers decided which went first. The numbers are compared one digit at a time, "
        "from the left: the idea whose first digit is higher goes first, and if those are "
        "the same, the one whose second digit is higher, and so on. So idea 9 goes before "
        "idea 12, because 9 is higher than 12's first digit, 1."
    ),
}


HOW_COUNTED["mes"] = HOW_COUNTED["equalshares"]
HOW_COUNTED["equalshares-comparison"] = [
    *HOW_COUNTED["equalshares"],
    HOW_COUNTED["equalshares/add1-comparison"][-1],
]

NO_VOTES = _("A proposal nobody voted for is never funded.")


# Said on the ballot page, before anyone votes: one short paragraph per family of rules.
BEFORE_VOTING = {
    "equalshares": _(
        "The money will be shared out in equal parts, one for each person who votes. An idea "
        "is funded when the people who chose it can pay for it together from their parts, so "
        "ideas many people want are funded and smaller groups still get a fair share."
    ),
    "greedy": _(
        "The ideas will be put in order of votes, most first, and funded in that order while "
        "the money lasts."
    ),
    "phragmen": _(
        "Everyone who votes earns money for the ideas they chose at the same steady rate. An "
        "idea is funded as soon as the people who chose it have earned its cost between them, "
        "until the money runs out."
    ),
}
LEFT_OVER_BY_VOTES = _("Any money left over then goes to the ideas with the most votes that fit.")
COMPARED_WITH_VOTES = _(
    "The result is then compared with funding the ideas with the most votes, and the one "
    "more voters prefer is used."
)


def before_voting(rule: str) -> str:
    """How the votes will be counted, in a few plain sentences for the ballot page."""
    family = "equalshares" if rule.startswith(("equalshares", "mes")) else rule.split("-")[0]
    text = str(BEFORE_VOTING.get(family, ""))
    if family == "equalshares" and rule.endswith("greedy"):
        text = f"{text} {LEFT_OVER_BY_VOTES}"
    if rule.endswith("comparison"):
        text = f"{text} {COMPARED_WITH_VOTES}"
    return text


def how_counted(rule: str) -> list[str]:
    return [str(paragraph) for paragraph in [*HOW_COUNTED.get(rule, []), NO_VOTES]]


KEPT = {
    "equal_shares": _("The Equal Shares outcome"),
    "greedy": _("The outcome by most votes"),
}


def comparison_figures(details: dict) -> dict | None:
    """The comparison step's two tallies and the outcome kept, from a count's stored
    details; None for a count without the step."""
    comparison = (details or {}).get("comparison")
    if isinstance(comparison, str):
        # Counts stored before details kept nested objects hold the dict's Python text.
        comparison = ast.literal_eval(comparison)
    if not comparison:
        return None
    return {
        "prefer_equal_shares": comparison["prefer_equal_shares"],
        "prefer_greedy": comparison["prefer_greedy"],
        "kept": str(KEPT.get(comparison["kept"], comparison["kept"])),
    }


def tie_break_text(tie_break: str) -> str:
    return str(TIE_BREAKS.get(tie_break, ""))


def pounds_in_a_sentence(pence) -> str:
    """Amounts in the reasons: a cost in exact pence (£2,500, or £2,500.50 when it has
    pence); a share worked out by the count, which can have endless decimals, to the
    nearest pound ("about £1,667")."""
    exact = Fraction(pence)
    if exact.denominator == 1:
        return format_pence(int(exact))
    pounds = round(exact / 100)
    if pounds == 0:
        return gettext("less than £1")
    return gettext("about %(amount)s") % {"amount": format_pence(pounds * 100)}


# Equal Shares' reasons for a proposal it left out: which one is true depends only on its
# cost and the money the outcome leaves, so it is chosen from those here, whatever an
# older count stored (counts before these two reasons stored the money its supporters had
# left under Add1's bigger shares, which read as "lost by £1").
SHARES_NOT_ENOUGH = ("share_spent", "share_spent_no_room")


def reason_sentence(result, titles: Mapping[int, str], money_left: int | None = None) -> str:
    """Why an idea won or lost, in the reader's language.

    ``result`` is a stored ``ProposalResult``; ``titles`` names the envelope's proposals
    by id (a ``LocalisedText`` is marked with its language on a page in another);
    ``money_left`` is what the outcome left of the budget, in pence. Counts stored
    without their amounts keep the engine's English sentence.
    """
    code = result.reason
    values = dict(result.reason_values or {})
    if code in SHARES_NOT_ENOUGH and money_left is not None:
        code = "share_spent_no_room" if result.cost_pence > money_left else "share_spent"
        values = {"cost": result.cost_pence, "left": money_left}
    wording = REASONS.get(code)
    if wording is None or ("{" in wording and not values):
        return result.reason_text
    left = values.get("left")
    next_id = values.get("next")
    # The engine's English sentences are in the catalogue (marked with gettext_noop).
    return MarkedMessage(
        gettext(wording),
        {
            "cost": pounds_in_a_sentence(result.cost_pence),
            "left": gettext("too little") if left is None else pounds_in_a_sentence(Fraction(left)),
            "next": titles.get(int(str(next_id)), next_id)
            if str(next_id).isdigit()
            else next_id or "",
        },
        braces=True,
    )
