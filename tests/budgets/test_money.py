import pytest

from budgets.money import format_pence, pence_to_input, pounds_to_pence


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("2500", 250000),
        ("2,500", 250000),
        ("£2,500.50", 250050),
        (" 2500.5 ", 250050),
        ("1,234,567.89", 123456789),
        ("0.01", 1),
    ],
)
def test_it_turns_pounds_into_exact_pence(typed, pence):
    assert pounds_to_pence(typed) == pence


@pytest.mark.parametrize("typed", ["", "abc", "-5", "2,50", "1.234", "1e5", "12,34,567", "٣٠"])
def test_it_refuses_what_is_not_an_amount(typed):
    with pytest.raises(ValueError):
        pounds_to_pence(typed)


def test_it_refuses_absurdly_long_amounts():
    with pytest.raises(ValueError):
        pounds_to_pence("9" * 13)


@pytest.mark.parametrize(
    ("pence", "shown"),
    [(250000, "£2,500"), (250050, "£2,500.50"), (5, "£0.05"), (None, "")],
)
def test_it_formats_pence_as_pounds(pence, shown):
    assert format_pence(pence) == shown


def test_it_formats_pence_back_into_what_a_resident_would_type():
    assert pence_to_input(250050) == "2500.50"
    assert pence_to_input(250000) == "2500"
