"""Two officers saving at once never hand out more than the fund: the second waits for
the first and then sees its envelope. Real PostgreSQL connections in two threads; the
first holds its transaction open until the database shows the second waiting on it."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from budgets.models import Envelope, Fund
from budgets.services import envelope_save, fund_save
from tests.budgets.factories import DraftRoundFactory, FundFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fund_with_two_rounds():
    fund = FundFactory(total_pence=100_000_00)
    place = NeighbourhoodFactory(council=fund.council)
    return fund, DraftRoundFactory(fund=fund), DraftRoundFactory(fund=fund), place


def _someone_waits_on_a_lock(deadline_seconds=30) -> bool:
    deadline = time.monotonic() + deadline_seconds
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            # Inside a transaction PostgreSQL keeps one snapshot of its statistics.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def _race(first, second):
    """Run ``first`` in a transaction held open until ``second`` (in another thread) is
    blocked on a lock, then commit; return what each raised (or None)."""
    outcomes = {}

    def run(name, work, hold_open):
        try:
            with transaction.atomic():
                work()
                if hold_open:
                    started.set()
                    assert _someone_waits_on_a_lock()
            outcomes[name] = None
        except (ValidationError, IntegrityError) as error:
            outcomes[name] = error
        finally:
            connection.close()

    started = threading.Event()
    one = threading.Thread(target=run, args=("first", first, True))
    one.start()
    assert started.wait(30)
    two = threading.Thread(target=run, args=("second", second, False))
    two.start()
    one.join(60)
    two.join(60)
    return outcomes["first"], outcomes["second"]


def test_two_officers_splitting_one_fund_at_once_cannot_overspend_it(fund_with_two_rounds):
    _, round_a, round_b, place = fund_with_two_rounds

    first, second = _race(
        lambda: envelope_save(
            round_id=round_a.pk, neighbourhood_id=place.pk, amount_pence=60_000_00
        ),
        lambda: envelope_save(
            round_id=round_b.pk, neighbourhood_id=place.pk, amount_pence=60_000_00
        ),
    )

    assert first is None
    assert isinstance(second, ValidationError)
    assert "more than the fund" in second.messages[0]
    assert list(Envelope.objects.values_list("round_id", flat=True)) == [round_a.pk]


def test_lowering_the_total_while_another_officer_adds_an_envelope(fund_with_two_rounds):
    fund, round_a, _, place = fund_with_two_rounds

    first, second = _race(
        lambda: envelope_save(
            round_id=round_a.pk, neighbourhood_id=place.pk, amount_pence=60_000_00
        ),
        lambda: fund_save(
            council_id=fund.council_id, name=fund.name, total_pence=50_000_00, fund_id=fund.pk
        ),
    )

    assert first is None
    assert "already hand out £60,000" in second.messages[0]
    assert Fund.objects.get(pk=fund.pk).total_pence == 100_000_00


def test_the_database_alone_stops_two_raw_inserts_overspending(fund_with_two_rounds):
    """Even code that skips the services (a shell, a script) cannot overspend."""
    _, round_a, round_b, place = fund_with_two_rounds

    first, second = _race(
        lambda: Envelope.objects.create(round=round_a, neighbourhood=place, amount_pence=60_000_00),
        lambda: Envelope.objects.create(round=round_b, neighbourhood=place, amount_pence=60_000_00),
    )

    assert first is None
    assert isinstance(second, IntegrityError)
    assert Envelope.objects.count() == 1
