"""A ``.pb`` file's text into an :class:`Election`, its sections in their order."""

from __future__ import annotations

import csv
from difflib import get_close_matches
from pathlib import Path

from ..model import Election, PbFormatError
from .sections import SECTIONS, Reading, Section

ORDER = tuple(SECTIONS)


def read_pb(path: str | Path) -> Election:
    """Read a ``.pb`` file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PbFormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_pb(data)


def parse_pb(content: str | bytes) -> Election:
    """Parse the text (or UTF-8 bytes) of a ``.pb`` file into an :class:`Election`."""
    text = _decode(content) if isinstance(content, (bytes, bytearray)) else content
    if text.startswith("\ufeff"):
        text = text[1:]
    # Split on newlines only: str.splitlines() would also split on characters such as
    # U+2028 that may legitimately appear inside a project's name.
    lines = text.split("\n")
    reading = Reading()
    _read_sections(lines, reading)
    return Election(
        vote_type=reading.vote_type,
        budget=reading.budget,
        projects=list(reading.projects.values()),
        ballots=reading.ballots,
        meta=reading.meta,
        normalised=reading.normalised,
    )


def _decode(data: bytes | bytearray) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        raise PbFormatError(
            f"not UTF-8 text (byte 0x{byte:02x} at column {column}); save the file as UTF-8",
            line,
        ) from None


def _read_sections(lines: list[str], reading: Reading) -> None:
    reader = csv.reader(lines, delimiter=";")
    section: Section | None = None
    seen: list[str] = []
    line = 0
    blank_in_votes: int | None = None
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                # A blank line at the very end is harmless (pabulib's checker allows it);
                # one between votes is most likely a vote deleted by mistake.
                if section is not None and section.name == "votes" and blank_in_votes is None:
                    blank_in_votes = line
                continue
            name = row[0].strip().lower()
            if name in SECTIONS and len(row) == 1:
                _check_order(name, seen, line)
                if section is not None:
                    section.finish(line)
                seen.append(name)
                header = _header(name, next(reader, None), reader.line_num)
                line = reader.line_num
                section = SECTIONS[name](reading, header, reader.line_num)
                continue
            if blank_in_votes is not None:
                raise PbFormatError(
                    "empty line in VOTES; every vote needs its line", blank_in_votes
                )
            if len(row) == 1 and _looks_like_a_section_name(row[0]):
                raise PbFormatError(
                    f"{row[0].strip()!r} looks like a section name but is not one; the "
                    f"sections are {', '.join(s.upper() for s in ORDER)}",
                    line,
                )
            if section is None:
                raise PbFormatError(
                    f"expected the META section, found {';'.join(row)[:40]!r}", line
                )
            if len(row) != len(section.header):
                if line > start:
                    raise _unclosed_quote(start, line, len(lines))
                raise PbFormatError(
                    f"{len(row)} fields but the {section.name.upper()} header has "
                    f"{len(section.header)}",
                    line,
                )
            section.row(row, line)
    except csv.Error as exc:
        line = reader.line_num
        if "new-line character" in str(exc):
            raise PbFormatError(
                "a carriage return (CR) character in the middle of the line; remove it, "
                "or save the file again with ordinary line endings",
                line,
            ) from None
        raise PbFormatError(f"cannot split the line into fields ({exc})", line) from None
    last = len(lines)
    for name in ORDER:
        if name not in seen:
            raise PbFormatError(f"the file has no {name.upper()} section", last)
    assert section is not None  # the VOTES section, the last of those just checked
    section.finish(last)


def _looks_like_a_section_name(text: str) -> bool:
    word = text.strip()
    return word.isalpha() and (
        word.isupper() or bool(get_close_matches(word.lower(), ORDER, cutoff=0.75))
    )


def _unclosed_quote(start: int, end: int, last: int) -> PbFormatError:
    """A row that the csv module read across several lines: a quote opened on ``start``
    and closed only on ``end``, or never."""
    where = "is never closed" if end >= last else f"is closed only on line {end}"
    return PbFormatError(
        f'a quote (") opens a field on this line and {where}; remove the quote or close it',
        start,
    )


def _check_order(name: str, seen: list[str], line: int) -> None:
    expected = ORDER[len(seen)] if len(seen) < len(ORDER) else None
    if name == expected:
        return
    if name in seen:
        raise PbFormatError(f"section {name.upper()} appears twice", line)
    raise PbFormatError(
        f"expected section {expected.upper()} before {name.upper()}"
        if expected
        else f"unexpected section {name.upper()}",
        line,
    )


def _header(name: str, header_row: list[str] | None, line: int) -> list[str]:
    """The section's header line, stripped; checked for what every section needs."""
    if header_row is None or not any(h.strip() for h in header_row):
        raise PbFormatError(f"the {name.upper()} section has no header line", line)
    header = [h.strip() for h in header_row]
    if len(set(header)) != len(header):
        raise PbFormatError(f"the {name.upper()} header repeats a column", line)
    return header
