from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgets.splitting import largest_remainder


def test_equal_weights_share_the_leftover_pence_to_the_first_places():
    assert largest_remainder(100, [Fraction(1)] * 3) == [34, 33, 33]


def test_it_gives_leftover_pence_to_the_largest_remainders():
    # Exact shares 1.5, 2.25, 6.25 pence: floors 1+2+6 = 9, one penny left for the 0.5.
    assert largest_remainder(10, [Fraction(6), Fraction(9), Fraction(25)]) == [2, 2, 6]


def test_a_zero_weight_gets_nothing():
    assert largest_remainder(1000, [Fraction(0), Fraction(1)]) == [0, 1000]


def test_it_refuses_all_zero_weights():
    with pytest.raises(ValueError, match="weight above zero"):
        largest_remainder(1000, [Fraction(0), Fraction(0)])


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(
        st.fractions(min_value=0, max_value=10**6, max_denominator=1000), min_size=1, max_size=40
    ).filter(lambda ws: sum(ws) > 0),
)
def test_parts_add_up_exactly_and_stay_within_a_penny_of_the_exact_share(total, weights):
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / weight_sum
        assert exact - 1 < part < exact + 1
