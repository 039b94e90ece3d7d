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


def _beat_fails_to_send(caplog, cause: Exception) -> list[logging.LogRecord]:
    """Beat's own "Message Error" line for a task it could not send, as celery.beat logs
    it: the exception and the whole stack, with the traceback."""
    from celery.beat import SchedulingError

    caplog.clear()
    with caplog.at_level(logging.INFO):
        try:
            try:
                raise cause
            except Exception as exc:
                raise SchedulingError("Couldn't apply scheduled task deliver-outbox") from exc
        except SchedulingError as exc:
            logging.getLogger("celery.beat").error(
                "Message Error: %s\n%s", exc, "a long stack", exc_info=True
            )
    return list(caplog.records)


def test_beat_with_the_broker_down_says_so_once_a_minute_without_a_traceback(caplog):
    from kombu.exceptions import OperationalError

    from config.task_logging import RoutineTaskFilter

    RoutineTaskFilter.last_broker_down = float("-inf")
    down = OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
    (line,) = _beat_fails_to_send(caplog, down)
    assert line.exc_info is None and "a long stack" not in line.getMessage()
    assert "the broker cannot be reached" in line.getMessage()
    assert "Connection refused" in line.getMessage()
    # Beat tries again 5 s later: nothing more for a minute.
    assert _beat_fails_to_send(caplog, down) == []
    RoutineTaskFilter.last_broker_down = float("-inf")  # a minute on
    assert len(_beat_fails_to_send(caplog, down)) == 1


def test_beat_failing_to_send_for_another_reason_keeps_its_traceback(caplog):
    (line,) = _beat_fails_to_send(caplog, ValueError("a task that cannot be serialised"))
    assert line.exc_info is not None
    assert "Message Error" in line.getMessage()
