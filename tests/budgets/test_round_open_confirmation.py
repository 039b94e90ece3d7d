"""Opening a round whose dates are past asks first, naming the phases it would skip."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Round
from tests.budgets.factories import EnvelopeFactory

pytestmark = pytest.mark.django_db
Phase = Round.Phase


@pytest.fixture
def late_round(council):
    return EnvelopeFactory(
        round__fund__council=council,
        round__phase=Phase.DRAFT,
        round__start=timezone.now() - timedelta(days=45),
        amount_pence=1_000_00,
    ).round


def test_it_asks_for_confirmation_naming_the_phases(officer_client, late_round):
    url = reverse("admin:budgets_round_advance", args=[late_round.pk])
    response = officer_client.post(url, {"to_phase": Phase.PROPOSALS_OPEN})
    html = response.content.decode()
    assert response.status_code == 200
    assert "“Review”, which was due on" in html
    assert "“Voting open”, which was due on" in html
    assert "It will end up in “Voting open”" in html
    late_round.refresh_from_db()
    assert late_round.phase == Phase.DRAFT


def test_confirming_opens_it(officer_client, late_round):
    url = reverse("admin:budgets_round_advance", args=[late_round.pk])
    officer_client.post(url, {"to_phase": Phase.PROPOSALS_OPEN, "past_dates_confirmed": "yes"})
    late_round.refresh_from_db()
    assert late_round.phase == Phase.PROPOSALS_OPEN
