import pytest
from django.core.exceptions import ValidationError

from accounts.postcodes import normalise_postcode


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("cf101ep", "CF10 1EP"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
        ("b338th", "B33 8TH"),
    ],
)
def test_it_normalises_real_postcodes(raw, normal):
    assert normalise_postcode(raw) == normal


@pytest.mark.parametrize("raw", ["", "hello", "12345", "CF10 1EPX", "QQ1 1AA", "CF10 1"])
def test_it_refuses_what_is_not_a_postcode(raw):
    with pytest.raises(ValidationError, match="Enter a real UK postcode"):
        normalise_postcode(raw)


@pytest.mark.parametrize(
    ("raw", "district"), [("CF24", "CF24"), (" cf24 ", "CF24"), ("sw1a", "SW1A")]
)
def test_half_a_postcode_is_told_to_give_the_whole_of_it(raw, district):
    with pytest.raises(ValidationError) as refused:
        normalise_postcode(raw)
    assert refused.value.code == "partial_postcode"
    assert refused.value.messages == [
        f"{district} is only the first half of a postcode. Enter your full postcode, like CF24 2AB."
    ]
