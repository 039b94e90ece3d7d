"""Celery's routine lines about a task beat sends every few seconds, left out of the log.

Beat sends outbox.deliver every 5 seconds, and each time Celery writes three lines
(sent, received, succeeded) whether or not there was anything to deliver; in ``make
run`` they buried the sign-in codes and emails. What the task does is logged by
outbox.services: each delivery, and each failure as a warning. Celery's warnings and
errors about these tasks (a crash, a time limit) still reach the log.

While the broker (Redis) is down, beat logs a full traceback and stack every time a task
is due (every 5 s for the outbox: thousands of lines a minute). That becomes one line a
minute saying so; any other failure to send keeps its traceback."""

import logging
import time

from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

QUIET_TASKS = frozenset({"outbox.deliver"})
BROKER_DOWN_EVERY = 60.0  # seconds between two "broker down" lines from beat
_UNREACHABLE = (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)


class RoutineTaskFilter(logging.Filter):
    """For the loggers celery.beat, celery.worker.strategy and celery.app.trace."""

    # One clock for every instance (logging may be configured more than once).
    last_broker_down = -BROKER_DOWN_EVERY

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "celery.beat" and (why := _broker_unreachable(record)):
            return self._once_a_minute(record, why)
        return record.levelno > logging.INFO or _task_name(record) not in QUIET_TASKS

    def _once_a_minute(self, record: logging.LogRecord, why: BaseException) -> bool:
        now = time.monotonic()
        if now - RoutineTaskFilter.last_broker_down < BROKER_DOWN_EVERY:
            return False
        RoutineTaskFilter.last_broker_down = now
        record.msg = (
            "Beat could not send a due task: the broker cannot be reached (%s). It tries "
            "again each time a task is due; this is said once a minute."
        )
        record.args = (why,)
        record.exc_info = record.exc_text = None
        return True


def _broker_unreachable(record: logging.LogRecord) -> BaseException | None:
    """If the record is beat failing to send because the broker cannot be reached: the
    error that says so."""
    if record.levelno < logging.ERROR or not record.exc_info:
        return None
    error: BaseException | None = record.exc_info[1]
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _UNREACHABLE):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _task_name(record: logging.LogRecord) -> str | None:
    args = record.args
    if isinstance(args, dict):  # the worker's "received" and "succeeded" lines
        return args.get("name")
    if isinstance(args, tuple) and len(args) == 2:  # beat's "Sending due task NAME (TASK)"
        return str(args[1])
    return None
