"""Waiting on conditions with deadlines: tests never depend on how fast this machine is."""

import time


def wait_for(condition, *, timeout: float = 60, interval: float = 0.1, message: str = ""):
    """Poll ``condition`` until it returns something truthy; return that, or fail."""
    deadline = time.monotonic() + timeout
    while True:
        if value := condition():
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message or condition}")
        time.sleep(interval)
