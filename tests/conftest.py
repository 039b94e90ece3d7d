import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from celery.contrib.testing.worker import start_worker
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from config.celery import app as celery_app
from tests.accounts.factories import UserFactory
from tests.live_requests import wait_until_answered
from tests.neighbourhoods.factories import CouncilFactory
from tests.processes import empty_queue

# The machine is shared and loaded: Hypothesis judges what it generates, never how fast.
hypothesis_settings.register_profile(
    "shared_machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("shared_machine")


@pytest.fixture
def council(db):
    return CouncilFactory(name="Riverton Council", slug="riverton")


@pytest.fixture
def other_council(db):
    return CouncilFactory(name="Hillside Council", slug="hillside")


@pytest.fixture
def resident(db):
    user = UserFactory(
        email="resident@example.test", display_name="Rhian", home_postcode="CF24 2AB"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def officer(db, council):
    user = UserFactory(
        email="officer@example.test", is_staff=True, council=council, password="a-long-passphrase"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def outsider(db, other_council):
    user = UserFactory(
        email="outsider@example.test",
        is_staff=True,
        council=other_council,
        password="a-long-passphrase",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker on Redis, in a thread, taking tasks from this process's queue.
    The queue is empty when it starts and emptied when it stops: no task one test sent
    runs in another's."""
    empty_queue()
    with start_worker(
        celery_app,
        pool="threads",
        concurrency=2,
        perform_ping_check=False,
        queues=[celery_app.conf.task_default_queue],
        shutdown_timeout=10,
    ) as worker:
        yield worker
    empty_queue()


@pytest.fixture(autouse=True)
def _live_server_answers_before_the_flush(request):
    """A test that used the live server ends only once the server has answered every
    request its browser left behind (tests/live_requests.py): the flush that follows
    then has the test database to itself."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Set up after the database, so torn down before it is flushed.
    request.getfixturevalue("transactional_db")
    yield
    still = wait_until_answered()
    assert not still, f"The live server was still answering {len(still)} request(s) after 60 s"


@pytest.fixture(autouse=True)
def _forget_rate_limits(request):
    """Start each test with no rate-limit counts: allauth's in Redis (this process's
    prefix) and the project's in the database's cache table, which flushing between
    transactional tests leaves alone (it is no model's)."""
    from django.core.cache import cache, caches

    client = cache._cache.get_client()
    prefix = cache.key_prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("django_db_setup")  # the test database, never another
        with request.getfixturevalue("django_db_blocker").unblock():
            caches["ratelimits"].clear()


def with_two_factor(user):
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
    )
    return user


@pytest.fixture
def officer_client(client, officer):
    """A signed-in officer who has set up two-factor sign-in, as the admin requires."""
    client.force_login(with_two_factor(officer))
    return client


@pytest.fixture
def outsider_client(client, outsider):
    """An officer of another council, signed in with two-factor."""
    client.force_login(with_two_factor(outsider))
    return client


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, whatever language an earlier request left active."""
    with translation.override("en-gb"):
        yield
