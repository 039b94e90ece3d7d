"""Choices waiting on the "check your choices" page, kept in the voter's session between
the ballot's POST and the check page's GET (post-redirect-get). Nothing here is a vote:
the cast reads the choices again from the form the check page sends."""

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Pending:
    choices: dict[int, int]
    age_confirmed: bool
    submission: uuid.UUID


def _key(envelope_id: int) -> str:
    return f"ballot-to-check:{envelope_id}"


def keep(session, envelope_id: int, pending: Pending) -> None:
    session[_key(envelope_id)] = {
        "choices": [[pid, points] for pid, points in pending.choices.items()],
        "age_confirmed": pending.age_confirmed,
        "submission": str(pending.submission),
    }


def read(session, envelope_id: int) -> Pending | None:
    """The choices waiting for ``envelope_id``, or None (none, or not readable)."""
    data = session.get(_key(envelope_id))
    try:
        return Pending(
            choices={int(pid): int(points) for pid, points in data["choices"]},
            age_confirmed=bool(data["age_confirmed"]),
            submission=uuid.UUID(str(data["submission"])),
        )
    except (KeyError, TypeError, ValueError):
        return None


def forget(session, envelope_id: int) -> None:
    session.pop(_key(envelope_id), None)
