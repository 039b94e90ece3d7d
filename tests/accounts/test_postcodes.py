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


@pytest.mark.parametrize("raw", ["", "hello", "CF10", "12345", "CF10 1EPX", "QQ1 1AA"])
def test_it_refuses_what_is_not_a_postcode(raw):
    with pytest.raises(ValidationError, match="Enter a real UK postcode"):
        normalise_postcode(raw)
