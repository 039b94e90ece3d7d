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
        "Not funded: not enough money left after the proposals above it "
        "(it costs £3,000; £1,000 was left)."
    )


def test_a_share_left_that_is_not_whole_pence_is_about_an_amount():
    result = ProposalResult(
        reason="share_spent",
        cost_pence=500_00,
        reason_values={"cost": 500_00, "left": str(Fraction(25_000, 3))},
        reason_text="unused",
    )

    assert reason_sentence(result, {}) == (
        "Not funded: its supporters had spent their equal share; between them they had "
        "about £83 left, less than its cost of £500."
    )


@pytest.mark.parametrize(
    ("left", "said"),
    [
        (str(Fraction(1_000_000, 3)), "about £3,333 left"),  # a share: to the nearest pound
        (str(Fraction(1, 3)), "less than £1 left"),
        (2_500_00, "£2,500 left"),  # whole pounds: no pence
        (2_500_50, "£2,500.50 left"),  # exact money keeps its pence
    ],
)
def test_amounts_in_a_reason_are_whole_pounds_unless_the_pence_are_exact(left, said):
    result = ProposalResult(
        reason="share_spent",
        cost_pence=5_000_00,
        reason_values={"cost": 5_000_00, "left": left},
        reason_text="unused",
    )

    assert said in reason_sentence(result, {})


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
