from collections.abc import Callable

HANDLERS: dict[str, Callable[..., None]] = {}


def handler(kind: str):
    """Register the function that carries out messages of ``kind`` (at import time)."""

    def register(function):
        HANDLERS[kind] = function
        return function

    return register
