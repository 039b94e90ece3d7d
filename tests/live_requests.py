"""Which requests the live server is still answering.

A browser test ends when its last assertion holds, but the page may have left requests
behind it (the kiosk fetches its key and its offline page in the background). If one of
them is still writing when the test database is flushed, PostgreSQL may find the flush's
TRUNCATE and the request's foreign-key check waiting on each other and cancel the flush,
which then fails a test that passed. So a test that used the live server waits here, after
its browser has closed and before the flush, until the server has answered everything.
"""

import threading
import time

from django.core.signals import request_finished, request_started

_answering: set[threading.Thread] = set()
_lock = threading.Lock()


def _started(**kwargs) -> None:
    # The test's own thread (the test client) finishes its requests before it goes on.
    if threading.current_thread() is not threading.main_thread():
        with _lock:
            _answering.add(threading.current_thread())


def _finished(**kwargs) -> None:
    with _lock:
        _answering.discard(threading.current_thread())


request_started.connect(_started, dispatch_uid="tests.live_requests.started")
request_finished.connect(_finished, dispatch_uid="tests.live_requests.finished")


def answering() -> list[threading.Thread]:
    """Server threads in the middle of a request (a thread that died mid-request is not)."""
    with _lock:
        return [thread for thread in _answering if thread.is_alive()]


def wait_until_answered(*, patience: float = 60.0, settle: float = 0.2) -> list[threading.Thread]:
    """Wait until no request has been in progress for `settle` seconds (a request the
    server accepted a moment ago has not started yet), or `patience` runs out. Returns the
    requests still in progress then: none, unless one hangs."""
    deadline = time.monotonic() + patience
    quiet_since = None
    while time.monotonic() < deadline:
        if answering():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= settle:
            return []
        time.sleep(0.02)
    return answering()
