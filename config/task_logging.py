"""Celery's routine lines about a task beat sends every few seconds, left out of the log.

Beat sends outbox.deliver every 5 seconds, and each time Celery writes three lines
(sent, received, succeeded) whether or not there was anything to deliver; in ``make
run`` they buried the sign-in codes and emails. What the task does is logged by
outbox.services: each delivery, and each failure as a warning. Celery's warnings and
errors about these tasks (a crash, a time limit) still reach the log."""

import logging

QUIET_TASKS = frozenset({"outbox.deliver"})


class RoutineTaskFilter(logging.Filter):
    """For the loggers celery.beat, celery.worker.strategy and celery.app.trace."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.INFO or _task_name(record) not in QUIET_TASKS


def _task_name(record: logging.LogRecord) -> str | None:
    args = record.args
    if isinstance(args, dict):  # the worker's "received" and "succeeded" lines
        return args.get("name")
    if isinstance(args, tuple) and len(args) == 2:  # beat's "Sending due task NAME (TASK)"
        return str(args[1])
    return None
