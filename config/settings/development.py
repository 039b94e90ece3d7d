"""Local development: the embedded PostgreSQL and Redis unless URLs are given."""

import os

from config import embedded
from config.environment import read_dotenv

read_dotenv()
embedded.use_unless_configured()
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault("SECRET_KEY", "development-only-not-secret-" + "x" * 32)
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from config.settings.base import *  # noqa: E402,F403

# Made-up councils, rounds and ballots for trying the platform out (`seed_demo`).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
