"""Plain-English 'how this was counted' text for each counting rule."""

from django.utils.translation import gettext_lazy as _

HOW_COUNTED = {
    "greedy": [
        _("Proposals were put in order of votes, most first."),
        _(
            "Going down that list, each proposal was funded if its cost fitted in the money "
            "still left. A proposal that did not fit was skipped, and the count went on to "
            "cheaper proposals below it."
        ),
    ],
    "mes": [
        _(
            "This is the Method of Equal Shares. The budget was split into equal shares, one "
            "for each person who voted."
        ),
        _(
            "A proposal was funded when the people who voted for it could pay its cost "
            "together from their shares. At each step the proposal that cost its supporters "
            "the least each was funded first, so money follows what many people want, and "
            "smaller groups still get a fair part of the budget."
        ),
    ],
    "mes-add1": [
        _(
            "This is the Method of Equal Shares. The budget was split into equal shares, one "
            "for each person who voted, and a proposal was funded when its supporters could "
            "pay for it together from their shares."
        ),
        _(
            "Because equal shares can leave money unspent, the count was run again with "
            "slightly bigger shares, as long as the proposals chosen still fitted in the real "
            "budget."
        ),
    ],
    "mes-add1-greedy": [
        _(
            "This is the Method of Equal Shares. The budget was split into equal shares, one "
            "for each person who voted, and a proposal was funded when its supporters could "
            "pay for it together from their shares."
        ),
        _(
            "Because equal shares can leave money unspent, the count was run again with "
            "slightly bigger shares, as long as the proposals chosen still fitted in the real "
            "budget."
        ),
        _(
            "Any money still left then went to the proposals with the most votes that still "
            "fitted in it."
        ),
    ],
    "phragmen": [
        _("This is sequential Phragmén."),
        _(
            "Each voter earns money for the proposals they chose at the same steady rate. A "
            "proposal was funded as soon as its supporters had earned its cost between them; "
            "then they started again from nothing. The count stopped when the next proposal "
            "to be paid for no longer fitted in the budget."
        ),
    ],
}

TIE_BREAKS = {
    "id": _(
        "If two proposals were level, the one with the smaller reference number, compared "
        "as text (so 12 comes before 9), went first."
    ),
    "id-desc": _(
        "If two proposals were level, the one with the larger reference number, compared as "
        "text, went first."
    ),
}


def how_counted(rule: str) -> list[str]:
    return [str(paragraph) for paragraph in HOW_COUNTED.get(rule, [])]


def tie_break_text(tie_break: str) -> str:
    return str(TIE_BREAKS.get(tie_break, ""))
