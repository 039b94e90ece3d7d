from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.models import Envelope, Round
from budgets.services import envelopes_split, envelopes_split_preview
from budgets.splitting import SplitMethod
from tests.budgets.factories import DraftEnvelopeFactory, DraftRoundFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return DraftRoundFactory(fund__total_pence=100_000_00)


@pytest.fixture
def places(round_):
    council = round_.fund.council
    return [
        NeighbourhoodFactory(
            council=council, name="Ash", population=1000, deprivation_weight=Decimal("2")
        ),
        NeighbourhoodFactory(
            council=council, name="Birch", population=2000, deprivation_weight=Decimal("1")
        ),
        NeighbourhoodFactory(
            council=council, name="Cedar", population=1000, deprivation_weight=Decimal("1")
        ),
    ]


def _split(round_, method, places, amount):
    envelopes_split(
        round_id=round_.pk,
        method=method,
        neighbourhood_ids=[p.pk for p in places],
        amount_pence=amount,
    )
    return dict(
        Envelope.objects.filter(round=round_).values_list("neighbourhood__name", "amount_pence")
    )


def test_equal_shares_add_up_to_the_penny(round_, places):
    assert _split(round_, SplitMethod.EQUAL, places, 100_000_00) == {
        "Ash": 33_333_34,
        "Birch": 33_333_33,
        "Cedar": 33_333_33,
    }


def test_by_population(round_, places):
    assert _split(round_, SplitMethod.POPULATION, places, 80_000_00) == {
        "Ash": 20_000_00,
        "Birch": 40_000_00,
        "Cedar": 20_000_00,
    }


def test_by_population_times_deprivation_weight(round_, places):
    # Weights 2000, 2000, 1000: exact shares 3,600,000.4p, 3,600,000.4p and 1,800,000.2p.
    assert _split(round_, SplitMethod.NEED, places, 90_000_01) == {
        "Ash": 36_000_01,
        "Birch": 36_000_00,
        "Cedar": 18_000_00,
    }


def test_splitting_again_replaces_the_envelopes(round_, places):
    _split(round_, SplitMethod.EQUAL, places, 90_000_00)
    assert _split(round_, SplitMethod.POPULATION, places, 40_000_00)["Birch"] == 20_000_00
    assert Envelope.objects.filter(round=round_).count() == 3


def test_it_refuses_more_than_the_fund_and_changes_nothing(round_, places):
    with pytest.raises(ValidationError, match="more than the fund's £100,000"):
        _split(round_, SplitMethod.EQUAL, places, 100_000_01)
    assert Envelope.objects.filter(round=round_).exists() is False


def test_it_counts_envelopes_it_does_not_touch(round_, places):
    DraftEnvelopeFactory(
        round=round_, neighbourhood__council=round_.fund.council, amount_pence=60_000_00
    )
    with pytest.raises(ValidationError, match="would add up to £100,000.03"):
        _split(round_, SplitMethod.EQUAL, places, 40_000_03)


def test_it_refuses_a_neighbourhood_of_another_council(round_, places):
    stranger = NeighbourhoodFactory(name="Elsewhere")
    with pytest.raises(ValidationError, match="must belong to the fund's council"):
        _split(round_, SplitMethod.EQUAL, [*places, stranger], 10_000_00)


def test_it_refuses_once_the_round_has_left_its_draft(round_, places):
    Round.objects.filter(pk=round_.pk).update(phase=Round.Phase.PROPOSALS_OPEN)
    with pytest.raises(ValidationError, match="fixed: the round has left its draft"):
        _split(round_, SplitMethod.EQUAL, places, 10_000_00)


def test_population_split_needs_some_population(round_):
    empty = [NeighbourhoodFactory(council=round_.fund.council, population=0)]
    with pytest.raises(ValidationError, match="has a population"):
        envelopes_split_preview(
            round_=round_, method=SplitMethod.POPULATION, neighbourhoods=empty, amount_pence=100
        )


def test_the_preview_saves_nothing(round_, places):
    shares = envelopes_split_preview(
        round_=round_, method=SplitMethod.EQUAL, neighbourhoods=places, amount_pence=300
    )
    assert [s.amount_pence for s in shares] == [100, 100, 100]
    assert Envelope.objects.exists() is False
