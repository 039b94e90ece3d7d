import pytest
from django.core.exceptions import ValidationError

from budgets.models import Envelope
from budgets.services import envelope_save
from tests.budgets.factories import DraftEnvelopeFactory, DraftRoundFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def test_it_saves_an_envelope_within_the_fund():
    round_ = DraftRoundFactory(fund__total_pence=50_000_00)
    place = NeighbourhoodFactory(council=round_.fund.council)
    envelope = envelope_save(round_id=round_.pk, neighbourhood_id=place.pk, amount_pence=50_000_00)
    assert envelope.amount_pence == 50_000_00


def test_it_refuses_envelopes_adding_up_to_more_than_the_fund():
    existing = DraftEnvelopeFactory(round__fund__total_pence=50_000_00, amount_pence=30_000_00)
    place = NeighbourhoodFactory(council=existing.round.fund.council)
    with pytest.raises(ValidationError, match="add up to £50,000.01, more than the fund's £50,000"):
        envelope_save(round_id=existing.round_id, neighbourhood_id=place.pk, amount_pence=20_000_01)
    assert Envelope.objects.count() == 1


def test_changing_an_envelope_does_not_count_its_old_amount():
    envelope = DraftEnvelopeFactory(round__fund__total_pence=50_000_00, amount_pence=30_000_00)
    saved = envelope_save(
        round_id=envelope.round_id,
        neighbourhood_id=envelope.neighbourhood_id,
        amount_pence=50_000_00,
        envelope_id=envelope.pk,
    )
    assert saved.amount_pence == 50_000_00


def test_it_refuses_a_neighbourhood_of_another_council():
    round_ = DraftRoundFactory()
    stranger = NeighbourhoodFactory()
    with pytest.raises(ValidationError, match="belongs to another council"):
        envelope_save(round_id=round_.pk, neighbourhood_id=stranger.pk, amount_pence=1)
