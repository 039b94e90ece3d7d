"""Read and write the open pabulib ``.pb`` format (https://pabulib.org/format).

A file has three sections in this order, each a section name on its own line, a header
line, then ``;``-separated rows: ``META`` (key;value), ``PROJECTS`` (project_id;cost;...)
and ``VOTES`` (voter_id;vote[;points];...). Every problem is reported as a
:class:`PbFormatError` whose message starts with the line number.

The reader takes real published files as pabutools does: a project listed twice in an
approval or choose-1 vote is counted once, and the PROJECTS column ``target`` (before
pabulib's 2026 format) is read as ``beneficiaries``. Each such change is recorded, with
its line, in ``Election.normalised``; anything else odd stays an error.
"""

from __future__ import annotations

import csv
import io
import random
import re
from fractions import Fraction
from pathlib import Path

from .model import (
    POINTS_VOTE_TYPES,
    VOTE_TYPES,
    Ballot,
    Election,
    Number,
    PbFormatError,
    Project,
)

SECTIONS = ("meta", "projects", "votes")
# Column order of pabulib's 2026 format; other columns follow in their own order.
PROJECT_COLUMNS = ("project_id", "cost", "votes", "score", "name", "category", "beneficiaries")
PROJECT_COLUMNS_AFTER = ("selected",)
VOTE_COLUMNS = ("voter_id", "vote", "points", "voting_method")
# Vote types where a vote is a set of projects, so a repeat changes nothing.
SET_VOTE_TYPES = ("approval", "choose-1")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def parse_number(text: str, what: str, line: int, *, negative_ok: bool = False) -> Number:
    """Parse a decimal such as ``2458488.22`` (or ``2458488,22``) exactly."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise PbFormatError(f"{what} {text!r} is not a number", line)
    if "." in text or "," in text:
        value: Number = Fraction(text.replace(",", "."))
        if value.denominator == 1:
            value = int(value)
    else:
        value = int(text)
    if value < 0 and not negative_ok:
        raise PbFormatError(f"{what} {text!r} is negative", line)
    return value


def _decode(data: bytes) -> str:
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
    return _Parser(text).parse()


class _Parser:
    def __init__(self, text: str):
        # Split on newlines only: str.splitlines() would also split on characters such
        # as U+2028 that may legitimately appear inside a project's name.
        self.lines = text.split("\n")
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.projects: dict[str, Project] = {}
        self.ballots: list[Ballot] = []
        self.vote_type = ""
        self.normalised: list[str] = []

    def parse(self) -> Election:
        reader = csv.reader(self.lines, delimiter=";")
        section = None
        seen: list[str] = []
        header: list[str] = []
        handle = None
        line = 0
        try:
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                name = row[0].strip().lower()
                if name in SECTIONS and len(row) == 1:
                    expected = SECTIONS[len(seen)] if len(seen) < 3 else None
                    if name != expected:
                        if name in seen:
                            raise PbFormatError(f"section {name.upper()} appears twice", line)
                        raise PbFormatError(
                            f"expected section {expected.upper()} before {name.upper()}"
                            if expected
                            else f"unexpected section {name.upper()}",
                            line,
                        )
                    if section is not None:
                        self._finish(section, line)
                    section = name
                    seen.append(name)
                    header, handle = self._start(section, reader)
                    continue
                if section is None:
                    raise PbFormatError(
                        f"expected the META section, found {';'.join(row)[:40]!r}", line
                    )
                if len(row) != len(header):
                    raise PbFormatError(
                        f"{len(row)} fields but the {section.upper()} header has {len(header)}",
                        line,
                    )
                handle(row, line)
        except csv.Error as exc:
            raise PbFormatError(f"cannot split the line into fields ({exc})", line) from None
        last = len(self.lines)
        for name in SECTIONS:
            if name not in seen:
                raise PbFormatError(f"the file has no {name.upper()} section", last)
        self._finish("votes", last)
        return Election(
            vote_type=self.vote_type,
            budget=self.budget,
            projects=list(self.projects.values()),
            ballots=self.ballots,
            meta=self.meta,
            normalised=self.normalised,
        )

    # Section starts: read the header line and choose the row handler.

    def _start(self, section, reader):
        header_row = next(reader, None)
        line = reader.line_num
        if header_row is None or not any(h.strip() for h in header_row):
            raise PbFormatError(f"the {section.upper()} section has no header line", line)
        header = [h.strip() for h in header_row]
        if len(set(header)) != len(header):
            raise PbFormatError(f"the {section.upper()} header repeats a column", line)
        if section == "meta":
            if header[:2] != ["key", "value"] or len(header) != 2:
                raise PbFormatError("the META header must be 'key;value'", line)
            return header, self._meta_row
        if section == "projects":
            for column in ("project_id", "cost"):
                if column not in header:
                    raise PbFormatError(f"the PROJECTS header has no '{column}' column", line)
            self.p_id = header.index("project_id")
            self.p_cost = header.index("cost")
            self.p_name = header.index("name") if "name" in header else None
            if "target" in header:
                if "beneficiaries" in header:
                    raise PbFormatError(
                        "the PROJECTS header has both 'target' and 'beneficiaries'", line
                    )
                header[header.index("target")] = "beneficiaries"
                self.normalised.append(
                    f"line {line}: PROJECTS column 'target' read as 'beneficiaries', its "
                    "name since pabulib's 2026 format"
                )
            self.p_header = header
            return header, self._project_row
        if "vote" not in header:
            raise PbFormatError("the VOTES header has no 'vote' column", line)
        self.v_vote = header.index("vote")
        self.v_id = header.index("voter_id") if "voter_id" in header else None
        self.v_method = header.index("voting_method") if "voting_method" in header else None
        self.v_points = None
        if self.vote_type in POINTS_VOTE_TYPES:
            if "points" not in header:
                raise PbFormatError(
                    f"the VOTES header has no 'points' column, needed for {self.vote_type} ballots",
                    line,
                )
            self.v_points = header.index("points")
        self.voter_ids: set[str] = set()
        return header, self._vote_row

    def _finish(self, section, line):
        if section == "meta":
            for key in ("budget", "vote_type"):
                if key not in self.meta:
                    raise PbFormatError(f"META has no '{key}'", line)
            self.budget = parse_number(self.meta["budget"], "budget", self.meta_lines["budget"])
            self.vote_type = self.meta["vote_type"].lower()
            if self.vote_type not in VOTE_TYPES:
                raise PbFormatError(
                    f"unknown vote_type {self.meta['vote_type']!r}; expected one of "
                    + ", ".join(VOTE_TYPES),
                    self.meta_lines["vote_type"],
                )
        elif section == "projects":
            self._check_count("num_projects", len(self.projects))
        else:
            self._check_count("num_votes", len(self.ballots))

    def _check_count(self, key, actual):
        if key not in self.meta:
            return
        declared = self.meta[key]
        if not declared.isdigit() or int(declared) != actual:
            raise PbFormatError(
                f"META says {key} is {declared!r} but the file has {actual}", self.meta_lines[key]
            )

    # Row handlers.

    def _meta_row(self, row, line):
        key = row[0].strip()
        if key in self.meta:
            raise PbFormatError(f"META key {key!r} appears twice", line)
        self.meta[key] = row[1].strip()
        self.meta_lines[key] = line

    def _project_row(self, row, line):
        project_id = row[self.p_id].strip()
        if not project_id:
            raise PbFormatError("empty project_id", line)
        if "," in project_id:
            raise PbFormatError(f"project_id {project_id!r} contains a comma", line)
        if project_id in self.projects:
            raise PbFormatError(f"project_id {project_id!r} appears twice", line)
        cost = parse_number(row[self.p_cost], f"cost of project {project_id!r}", line)
        name = row[self.p_name].strip() if self.p_name is not None else ""
        extra = {
            h: v.strip()
            for i, (h, v) in enumerate(zip(self.p_header, row, strict=False))
            if i not in (self.p_id, self.p_cost, self.p_name)
        }
        self.projects[project_id] = Project(project_id, cost, name, extra)

    def _vote_row(self, row, line):
        voter_id = row[self.v_id].strip() if self.v_id is not None else None
        if voter_id is not None:
            if voter_id in self.voter_ids:
                raise PbFormatError(f"voter_id {voter_id!r} appears twice", line)
            self.voter_ids.add(voter_id)
        vote_text = row[self.v_vote].strip()
        chosen = [p.strip() for p in vote_text.split(",")] if vote_text else []
        projects = self.projects
        who = f"vote {voter_id!r}" if voter_id is not None else "the vote"
        for project_id in chosen:
            if project_id not in projects:
                if not project_id:
                    raise PbFormatError(f"empty project id in {who}", line)
                raise PbFormatError(f"unknown project id {project_id!r} in {who}", line)
        if len(set(chosen)) != len(chosen):
            if self.vote_type not in SET_VOTE_TYPES:
                raise PbFormatError(f"{who} lists a project twice", line)
            repeated = sorted({p for p in chosen if chosen.count(p) > 1})
            chosen = list(dict.fromkeys(chosen))
            self.normalised.append(
                f"line {line}: {who} lists project {', '.join(map(repr, repeated))} more than "
                "once; counted once"
            )
        if self.vote_type == "choose-1" and len(chosen) > 1:
            raise PbFormatError(f"{who} chooses {len(chosen)} projects in a choose-1 vote", line)
        points = None
        if self.v_points is not None:
            points_text = row[self.v_points].strip()
            raw = points_text.split(",") if points_text else []
            if len(raw) != len(chosen):
                raise PbFormatError(f"{who} has {len(chosen)} projects but {len(raw)} points", line)
            points = tuple(parse_number(p, f"points in {who}", line) for p in raw)
        method = row[self.v_method].strip() or None if self.v_method is not None else None
        self.ballots.append(Ballot(tuple(chosen), points, 1, voter_id, method))


def _format_number(value: Number) -> str:
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        # Keep the decimal form when it is exact, as pabulib files do.
        denominator = value.denominator
        twos = fives = 0
        while denominator % 2 == 0:
            denominator //= 2
            twos += 1
        while denominator % 5 == 0:
            denominator //= 5
            fives += 1
        if denominator != 1:
            raise ValueError(f"{value} has no exact decimal form")
        digits = max(twos, fives)
        scaled = value * 10**digits
        sign = "-" if scaled < 0 else ""
        whole, frac = divmod(abs(int(scaled)), 10**digits)
        return f"{sign}{whole}.{frac:0{digits}d}"
    return str(int(value))


def write_pb(election: Election) -> str:
    """Write an election as ``.pb`` text.

    META keys ``budget``, ``vote_type``, ``num_projects`` and ``num_votes`` are always
    written from the election itself (in place if the META has them, else after it);
    other META keys are kept in their order. Project columns follow pabulib's order
    (project_id, cost, votes, score, name, category, beneficiaries, then others, then
    selected). Ballots with a multiplicity above one are written as that many rows.
    Voter ids are kept when every ballot has one, otherwise voters are numbered from 1.
    A ``voting_method`` column is written when any ballot has one.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    meta["budget"] = _format_number(election.budget)
    meta["vote_type"] = election.vote_type
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(election.num_ballots)
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])
    extra_columns: list[str] = []
    for p in election.projects:
        for column in p.extra:
            if column not in extra_columns:
                extra_columns.append(column)
    if any(p.name for p in election.projects):
        extra_columns.append("name")
    known = PROJECT_COLUMNS + PROJECT_COLUMNS_AFTER
    first = [c for c in PROJECT_COLUMNS if c in extra_columns]
    last = [c for c in PROJECT_COLUMNS_AFTER if c in extra_columns]
    columns = first + [c for c in extra_columns if c not in known] + last
    out.write("PROJECTS\n")
    writer.writerow(["project_id", "cost", *columns])
    for p in election.projects:
        writer.writerow(
            [p.id, _format_number(p.cost)]
            + [p.name if c == "name" else p.extra.get(c, "None") for c in columns]
        )
    with_points = election.vote_type in POINTS_VOTE_TYPES
    with_method = any(b.voting_method for b in election.ballots)
    keep_ids = all(b.voter_id is not None and b.multiplicity == 1 for b in election.ballots)
    out.write("VOTES\n")
    writer.writerow(
        ["voter_id", "vote"]
        + (["points"] if with_points else [])
        + (["voting_method"] if with_method else [])
    )
    number = 0
    for ballot in election.ballots:
        row_tail = [",".join(ballot.projects)]
        if with_points:
            row_tail.append(",".join(_format_number(x) for x in (ballot.points or ())))
        if with_method:
            row_tail.append(ballot.voting_method or "")
        for _ in range(ballot.multiplicity):
            number += 1
            writer.writerow([ballot.voter_id if keep_ids else str(number), *row_tail])
    return out.getvalue()


def anonymise(election: Election, rng: random.Random | None = None) -> Election:
    """A copy for publication: ballots in random order, voter ids dropped (the written
    file numbers voters 1, 2, ...), identical ballots written as separate rows.
    ``rng`` defaults to the operating system's randomness."""
    rng = rng or random.SystemRandom()
    ballots = [
        Ballot(b.projects, b.points, 1, None, b.voting_method)
        for b in election.ballots
        for _ in range(b.multiplicity)
    ]
    rng.shuffle(ballots)
    return Election(
        election.vote_type, election.budget, list(election.projects), ballots, dict(election.meta)
    )


__all__ = ["PbFormatError", "anonymise", "parse_number", "parse_pb", "read_pb", "write_pb"]
