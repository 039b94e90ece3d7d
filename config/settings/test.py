"""Test settings: the same real PostgreSQL and Redis as development, faster hashing."""

import os

from config import embedded
from config.environment import read_dotenv

read_dotenv()
embedded.use_unless_configured()
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from config.settings.base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Each test run gets its own cache prefix so parallel workers never share rate limits.
CACHES["default"]["KEY_PREFIX"] = f"nd-test-{os.getpid()}"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
AXES_FAILURE_LIMIT = 5
# Each test process has its own Celery queue, so its worker never takes another's tasks.
CELERY_TASK_DEFAULT_QUEUE = f"test-{os.getpid()}"
# Parallel runs from different checkouts on one server need different test databases.
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("TEST_DATABASE_NAME", "test_neighbourhood_democracy")
}

# Made-up councils, rounds and ballots for trying the platform out (`seed_demo`).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
