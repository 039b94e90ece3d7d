"""Production: every secret and host from the environment, HTTPS only."""

import os

from config.environment import read_dotenv

read_dotenv()
# Production never starts an embedded server: fail loudly before base settings would.
for _name in (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "BALLOT_KEY_SECRET",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
):
    if not os.environ.get(_name):
        raise RuntimeError(f"Production settings need the environment variable {_name}.")

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import DATABASES, env  # noqa: E402

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
