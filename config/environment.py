"""Reading settings from the environment, strictly.

django-environ reads any unknown word as False, so ``SECURE_SSL_REDIRECT=flase`` would
quietly turn HTTPS redirects off. Here a boolean must be spelt as one, or start-up stops.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})


class StrictEnv(environ.Env):
    """``environ.Env`` that refuses a boolean it cannot read instead of guessing False."""

    @classmethod
    def parse_value(cls, value, cast):
        if cast is bool and isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ImproperlyConfigured(
                f"{value!r} is not a true/false value; use one of "
                f"{', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}."
            )
        return super().parse_value(value, cast)


def read_dotenv() -> None:
    """Load the git-ignored ``.env`` into the environment; real variables win."""
    StrictEnv.read_env(PROJECT_DIR / ".env", overwrite=False)
