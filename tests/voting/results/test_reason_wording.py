"""The results page words each reason itself, in the reader's language, from the amounts
stored with the count; a count stored without them keeps the engine's sentence."""

from fractions import Fraction

import pytest

from voting.counting.explain import REASONS
from voting.results.explanations import reason_sentence
from voting.results.models import ProposalResult
from voting.results.services import envelope_count


def test_the_count_stores_the_amounts_in_each_reason(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)

    art = outcome.proposal_results.get(proposal=closed_envelope.proposals_by_title["art"])
    # Greedy funded £4,000 and £5,000 of £10,000; Street art (£3,000) met £1,000.
    assert art.reason_values == {"cost": 3_000_00, "left": 1_000_00}


def test_the_sentence_shows_pounds_from_the_stored_amounts(closed_envelope):
    outcome = envelope_count(envelope_id=closed_envelope.pk)

    art = outcome.proposal_results.get(proposal=closed_envelope.proposals_by_title["art"])
    assert reason_sentence(art, {}) == (
        "Not funded: not enough money left. It costs £3,000, and £1,000 was left after the "
        "ideas ahead of it in order of votes."
    )


def test_a_share_left_that_is_not_whole_pence_is_about_an_amount():
    result = ProposalResult(
        reason="share_spent_no_room",
        cost_pence=500_00,
        reason_values={"cost": 500_00, "left": str(Fraction(25_000, 3))},
        reason_text="unused",
    )

    assert reason_sentence(result, {}) == (
        "Not funded: the people who voted for it did not have enough of their equal shares "
        "left to pay for it, and the money left after the funded ideas (about £83) is "
        "less than its cost (£500)."
    )


@pytest.mark.parametrize(
    ("left", "said"),
    [
        (str(Fraction(1_000_000, 3)), "(about £3,333)"),  # to the nearest pound
        (str(Fraction(1, 3)), "(less than £1)"),
        (2_500_00, "(£2,500)"),  # whole pounds: no pence
        (2_500_50, "(£2,500.50)"),  # exact money keeps its pence
    ],
)
def test_amounts_in_a_reason_are_whole_pounds_unless_the_pence_are_exact(left, said):
    result = ProposalResult(
        reason="share_spent_no_room",
        cost_pence=5_000_00,
        reason_values={"cost": 5_000_00, "left": left},
        reason_text="unused",
    )

    assert said in reason_sentence(result, {})


# An older count stored the money the supporters had left under Add1's bigger shares:
# £29,999 of a £30,000 proposal read as "lost by £1" when only £9,000 was left to spend.
OLD_SHARE_SPENT = {"cost": 30_000_00, "left": str(Fraction(8_999_999_99, 3))}


def test_a_proposal_that_does_not_fit_in_the_money_left_says_so_whatever_was_stored():
    result = ProposalResult(
        reason="share_spent", cost_pence=30_000_00, reason_values=OLD_SHARE_SPENT, reason_text=""
    )

    sentence = reason_sentence(result, {}, money_left=9_000_00)

    assert "29,999" not in sentence
    assert sentence == (
        "Not funded: the people who voted for it did not have enough of their equal shares "
        "left to pay for it, and the money left after the funded ideas (£9,000) is less "
        "than its cost (£30,000)."
    )


def test_a_proposal_that_would_fit_in_the_money_left_is_not_said_to_lack_money():
    result = ProposalResult(
        reason="share_spent_no_room",
        cost_pence=3_000_00,
        reason_values={"cost": 3_000_00, "left": 9_000_00},
        reason_text="",
    )

    sentence = reason_sentence(result, {}, money_left=9_000_00)

    assert "less than its cost" not in sentence
    assert "does not spend money left over" in sentence


def test_the_next_proposal_in_line_is_named_by_its_title():
    result = ProposalResult(
        reason="phragmen_stopped",
        cost_pence=100_00,
        reason_values={"cost": 100_00, "next": "42"},
        reason_text="unused",
    )

    assert "(Community garden)" in reason_sentence(result, {42: "Community garden"})


def test_a_count_stored_without_amounts_keeps_the_engines_sentence():
    result = ProposalResult(
        reason="no_money_left", cost_pence=100_00, reason_values={}, reason_text="Old words."
    )

    assert reason_sentence(result, {}) == "Old words."


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_reason_the_engine_gives_is_worded_with_its_amounts(code):
    result = ProposalResult(
        reason=code,
        cost_pence=300_00,
        reason_values={"cost": 300_00, "left": 100_00, "next": "7"},
        reason_text="unused",
    )

    sentence = reason_sentence(result, {7: "Play area"})
    assert sentence.startswith(("Funded", "Not funded"))
    assert "{" not in sentence
    for name, shown in (("{cost}", "£300"), ("{left}", "£100"), ("{next}", "Play area")):
        assert (shown in sentence) == (name in REASONS[code]), (code, sentence)
