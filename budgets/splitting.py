"""Splitting an amount of money between neighbourhoods, exactly to the penny."""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _


class SplitMethod(models.TextChoices):
    EQUAL = "equal", _("Equal shares")
    POPULATION = "population", _("By population")
    NEED = "need", _("By population × deprivation weight")  # noqa: RUF001


@dataclass(frozen=True)
class Share:
    neighbourhood_id: int
    name: str
    weight: Fraction
    amount_pence: int


def weight_for(method: str, *, population: int, deprivation_weight: Decimal) -> Fraction:
    if method == SplitMethod.EQUAL:
        return Fraction(1)
    if method == SplitMethod.POPULATION:
        return Fraction(population)
    if method == SplitMethod.NEED:
        return Fraction(population) * Fraction(deprivation_weight)
    raise ValueError(f"Unknown split method {method!r}")


def largest_remainder(total_pence: int, weights: list[Fraction]) -> list[int]:
    """Share ``total_pence`` in proportion to ``weights`` so the parts add up exactly.

    Each part gets the whole pence of its exact share; the pence left over go one each to
    the largest remainders, earlier positions first when remainders tie.
    """
    if total_pence < 0:
        raise ValueError("Cannot split a negative amount.")
    weight_sum = sum(weights, Fraction(0))
    if weight_sum <= 0:
        raise ValueError("At least one neighbourhood needs a weight above zero.")
    exact = [total_pence * w / weight_sum for w in weights]
    parts = [int(share) for share in exact]  # floor: every share is non-negative
    leftover = total_pence - sum(parts)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:leftover]:
        parts[i] += 1
    return parts
