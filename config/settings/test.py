"""Test settings: the same real PostgreSQL and Redis as development, faster hashing."""

import os
import tempfile

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
# A server a fault test starts writes its emails where the test can read them.
if os.environ.get("TEST_EMAIL_DIR"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ["TEST_EMAIL_DIR"]},
        }
    }
# Each test run gets its own cache prefix so parallel workers never share rate limits.
# Processes a test starts (workers, gunicorn) are given the same prefix and queue.
_prefix = os.environ.get("TEST_CACHE_KEY_PREFIX") or f"nd-test-{os.getpid()}"
CACHES["default"]["KEY_PREFIX"] = _prefix  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
AXES_FAILURE_LIMIT = 5
# Each test process has its own Celery queue, so its worker never takes another's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE") or f"test-{os.getpid()}"
# Parallel runs from different checkouts on one server need different test databases.
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("TEST_DATABASE_NAME", "test_neighbourhood_democracy")
}
# Letters made by tests go to a throwaway folder, never beside real ones.
STORAGES["letters"]["OPTIONS"]["location"] = tempfile.mkdtemp(prefix="nd-test-letters-")  # noqa: F405

# Made-up councils, rounds and ballots for trying the platform out (`seed_demo`).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
