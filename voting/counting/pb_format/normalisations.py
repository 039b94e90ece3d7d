"""What the reader changes in real published files, as pabutools does, each change noted
with its line (``Election.normalised``)."""

from __future__ import annotations

from ..model import PbFormatError

# Vote types where a vote is a set of projects, so a repeat changes nothing.
SET_VOTE_TYPES = ("approval", "choose-1")


def rename_target_column(header: list[str], line: int, normalised: list[str]) -> None:
    """PROJECTS column ``target`` (before pabulib's 2026 format) is read as
    ``beneficiaries``, in place in ``header``."""
    if "target" not in header:
        return
    if "beneficiaries" in header:
        raise PbFormatError("the PROJECTS header has both 'target' and 'beneficiaries'", line)
    header[header.index("target")] = "beneficiaries"
    normalised.append(
        f"line {line}: PROJECTS column 'target' read as 'beneficiaries', its "
        "name since pabulib's 2026 format"
    )


def count_repeats_once(
    chosen: list[str], vote_type: str, who: str, line: int, normalised: list[str]
) -> list[str]:
    """A project listed twice in an approval or choose-1 vote is counted once; in any
    other vote a repeat is an error."""
    if len(set(chosen)) == len(chosen):
        return chosen
    if vote_type not in SET_VOTE_TYPES:
        raise PbFormatError(f"{who} lists a project twice", line)
    repeated = sorted({p for p in chosen if chosen.count(p) > 1})
    normalised.append(
        f"line {line}: {who} lists project {', '.join(map(repr, repeated))} more than "
        "once; counted once"
    )
    return list(dict.fromkeys(chosen))


def read_decimal_comma(text: str, what: str, line: int, normalised: list[str]) -> str:
    """A budget or cost written with a decimal comma (``40000,50``) is read with a decimal
    point, as pabutools reads it; noted with the value read, since ``1,000`` is then 1."""
    if "," not in text:
        return text
    read = text.replace(",", ".")
    normalised.append(
        f"line {line}: {what} {text.strip()!r} has a decimal comma; read as {read.strip()}"
    )
    return read


def strip_spaces_in_vote(vote: str, who: str, line: int, normalised: list[str]) -> list[str]:
    """The project ids of a vote, with spaces around them dropped, as pabutools drops
    them."""
    text = vote.strip()
    chosen = [p.strip() for p in text.split(",")] if text else []
    if text and ",".join(chosen) != vote:
        normalised.append(
            f"line {line}: {who} has spaces around its project ids; read without them"
        )
    return chosen
