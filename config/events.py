"""Structured log lines for what an auditor needs: counts, publishes and refused actions.

Each line carries an ``event`` name and ids or numbers only, never a name, an email
address, a postcode or a refusal's wording (which can contain them). In production the
JSON formatter (settings ``LOG_FORMAT=json``) writes every field as a JSON key.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction


def record(log: logging.Logger, event: str, **fields) -> None:
    log.info(event, extra={"event": event, **fields})


def record_after_commit(log: logging.Logger, event: str, **fields) -> None:
    """Log only once the change is committed, so a rolled-back count is never reported."""
    transaction.on_commit(lambda: record(log, event, **fields))


def record_refusal(log: logging.Logger, *, action: str, error: Exception, **ids) -> None:
    """What was tried on which ids, and the refusal's kind and codes."""
    codes: list[str] = []
    if isinstance(error, ValidationError) and hasattr(error, "error_list"):
        codes = sorted({str(e.code) for e in error.error_list if e.code})
    record(log, "action.refused", action=action, kind=type(error).__name__, codes=codes, **ids)
