"""A kept connection is checked without a round trip, and a connection PostgreSQL ended
is still found out (config/postgresql)."""

import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kept():
    wrapper = connections.create_connection("default")
    wrapper.connect()
    yield wrapper
    wrapper.close()


def test_an_idle_kept_connection_is_usable_without_a_query(kept, monkeypatch):
    assert kept.connection.info.transaction_status.name == "IDLE"

    def no_query(*args, **kwargs):
        raise AssertionError("the check sent a query")

    monkeypatch.setattr(kept.connection, "cursor", no_query)
    assert kept.is_usable()


def test_a_connection_the_server_ended_is_not_usable(kept):
    backend_pid = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    deadline = time.monotonic() + 10
    while kept.is_usable():
        assert time.monotonic() < deadline, "the ended connection still looks usable"
        time.sleep(0.05)
    kept.close_if_health_check_failed()  # what a request's first query does
    kept.close()
    kept.connect()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_backend_is_djangos_postgresql_one():
    from django.db.backends.postgresql.base import DatabaseWrapper

    assert isinstance(connections["default"], DatabaseWrapper)
    assert type(connections["default"]).__module__ == "config.postgresql.base"
