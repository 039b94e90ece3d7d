"""Celery's routine lines about outbox.deliver (every 5 s) stay out of the log; lines
about other tasks, and warnings and errors about any, stay in."""

import logging

from celery.app.trace import LOG_RECEIVED, LOG_SUCCESS


def _logged(caplog, logger: str, level: int, message: str, *args) -> bool:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        logging.getLogger(logger).log(level, message, *args)
    return bool(caplog.records)


def _task(name: str) -> dict:
    return {"id": "1", "name": name, "return_value": 0, "runtime": 0.01, "args": "()"}


def test_the_outboxs_received_and_succeeded_lines_are_left_out(caplog):
    task = _task("outbox.deliver")
    assert _logged(caplog, "celery.worker.strategy", logging.INFO, LOG_RECEIVED, task) is False
    assert _logged(caplog, "celery.app.trace", logging.INFO, LOG_SUCCESS, task) is False


def test_beat_sending_the_outbox_is_left_out(caplog):
    line = "Scheduler: Sending due task %s (%s)"
    assert (
        _logged(caplog, "celery.beat", logging.INFO, line, "deliver-outbox", "outbox.deliver")
        is False
    )
    assert _logged(
        caplog, "celery.beat", logging.INFO, line, "resume-counts", "voting.resume_counts"
    )


def test_other_tasks_lines_stay(caplog):
    task = _task("voting.count_round")
    assert _logged(caplog, "celery.app.trace", logging.INFO, LOG_SUCCESS, task) is True


def test_an_error_in_the_outbox_task_stays(caplog):
    task = {**_task("outbox.deliver"), "exc": "boom", "description": "raised unexpected"}
    line = "Task %(name)s[%(id)s] %(description)s: %(exc)s"
    assert _logged(caplog, "celery.app.trace", logging.ERROR, line, task) is True
