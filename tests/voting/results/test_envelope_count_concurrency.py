import threading

import pytest
from django.db import connection

from voting.results.models import EnvelopeCount, ProposalResult
from voting.results.services import envelope_count


@pytest.mark.django_db(transaction=True)
def test_two_counts_at_once_store_one_outcome(closed_envelope):
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def count_in_own_connection():
        try:
            start.wait()
            outcomes.append(envelope_count(envelope_id=closed_envelope.pk).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=count_in_own_connection) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(set(outcomes)) == 1
    assert EnvelopeCount.objects.count() == 1
    assert ProposalResult.objects.count() == 3
