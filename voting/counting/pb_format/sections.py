"""The three sections of a ``.pb`` file. Each checks its header line, reads its rows into
the ``Reading`` they share, and at its end checks what META declared about it."""

from __future__ import annotations

from ..model import POINTS_VOTE_TYPES, VOTE_TYPES, Ballot, Number, PbFormatError, Project
from .normalisations import (
    count_repeats_once,
    read_decimal_comma,
    rename_target_column,
    strip_spaces_in_vote,
)
from .numbers import parse_number


class Reading:
    """What the sections have read so far."""

    def __init__(self) -> None:
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.projects: dict[str, Project] = {}
        self.ballots: list[Ballot] = []
        self.vote_type = ""
        self.budget: Number = 0
        self.normalised: list[str] = []

    def check_count(self, key: str, actual: int) -> None:
        if key not in self.meta:
            return
        declared = self.meta[key]
        if not declared.isdigit() or int(declared) != actual:
            raise PbFormatError(
                f"META says {key} is {declared!r} but the file has {actual}", self.meta_lines[key]
            )


class Section:
    name = ""

    def __init__(self, reading: Reading, header: list[str], line: int) -> None:
        self.reading = reading
        self.header = header

    def row(self, row: list[str], line: int) -> None:
        raise NotImplementedError

    def finish(self, line: int) -> None:
        raise NotImplementedError


class Meta(Section):
    name = "meta"

    def __init__(self, reading: Reading, header: list[str], line: int) -> None:
        super().__init__(reading, header, line)
        if header[:2] != ["key", "value"] or len(header) != 2:
            raise PbFormatError("the META header must be 'key;value'", line)

    def row(self, row: list[str], line: int) -> None:
        meta = self.reading.meta
        key = row[0].strip()
        if key in meta:
            raise PbFormatError(f"META key {key!r} appears twice", line)
        meta[key] = row[1].strip()
        self.reading.meta_lines[key] = line

    def finish(self, line: int) -> None:
        reading = self.reading
        meta, meta_lines = reading.meta, reading.meta_lines
        for key in ("budget", "vote_type"):
            if key not in meta:
                raise PbFormatError(f"META has no '{key}'", line)
        at = meta_lines["budget"]
        budget = read_decimal_comma(meta["budget"], "budget", at, reading.normalised)
        reading.budget = parse_number(budget, "budget", at)
        reading.vote_type = meta["vote_type"].lower()
        if reading.vote_type not in VOTE_TYPES:
            raise PbFormatError(
                f"unknown vote_type {meta['vote_type']!r}; expected one of "
                + ", ".join(VOTE_TYPES),
                meta_lines["vote_type"],
            )


# What pabulib's own checker (pabulib_helpers.fields) allows in the column ``selected``.
SELECTED_VALUES = ("0", "1", "2", "3")


class Projects(Section):
    name = "projects"

    def __init__(self, reading: Reading, header: list[str], line: int) -> None:
        super().__init__(reading, header, line)
        for column in ("project_id", "cost"):
            if column not in header:
                raise PbFormatError(f"the PROJECTS header has no '{column}' column", line)
        self.id_at = header.index("project_id")
        self.cost_at = header.index("cost")
        self.name_at = header.index("name") if "name" in header else None
        self.selected_at = header.index("selected") if "selected" in header else None
        rename_target_column(header, line, reading.normalised)

    def row(self, row: list[str], line: int) -> None:
        projects = self.reading.projects
        project_id = row[self.id_at].strip()
        if not project_id:
            raise PbFormatError("empty project_id", line)
        if "," in project_id:
            raise PbFormatError(f"project_id {project_id!r} contains a comma", line)
        if project_id in projects:
            raise PbFormatError(f"project_id {project_id!r} appears twice", line)
        what = f"cost of project {project_id!r}"
        written = read_decimal_comma(row[self.cost_at], what, line, self.reading.normalised)
        cost = parse_number(written, what, line)
        name = row[self.name_at].strip() if self.name_at is not None else ""
        if self.selected_at is not None:
            selected = row[self.selected_at].strip()
            if selected not in SELECTED_VALUES:
                raise PbFormatError(
                    f"project {project_id!r} has selected {selected!r}; pabulib allows "
                    f"{', '.join(SELECTED_VALUES[:-1])} or {SELECTED_VALUES[-1]} "
                    "(1 means selected, 0 not selected)",
                    line,
                )
        extra = {
            h: v.strip()
            for i, (h, v) in enumerate(zip(self.header, row, strict=False))
            if i not in (self.id_at, self.cost_at, self.name_at)
        }
        projects[project_id] = Project(project_id, cost, name, extra)

    def finish(self, line: int) -> None:
        self.reading.check_count("num_projects", len(self.reading.projects))


class Votes(Section):
    name = "votes"

    def __init__(self, reading: Reading, header: list[str], line: int) -> None:
        super().__init__(reading, header, line)
        if "vote" not in header:
            raise PbFormatError("the VOTES header has no 'vote' column", line)
        self.vote_at = header.index("vote")
        self.id_at = header.index("voter_id") if "voter_id" in header else None
        self.method_at = header.index("voting_method") if "voting_method" in header else None
        self.points_at = None
        if reading.vote_type in POINTS_VOTE_TYPES:
            if "points" not in header:
                raise PbFormatError(
                    "the VOTES header has no 'points' column, needed for "
                    f"{reading.vote_type} ballots",
                    line,
                )
            self.points_at = header.index("points")
        self.voter_ids: set[str] = set()
        # Identical votes share one tuple: less memory, and the count's merging of
        # identical ballots (a dict keyed by them) finds each at once, about three times
        # faster on a city's file where most votes repeat.
        self.shared: dict[tuple, tuple] = {}

    def row(self, row: list[str], line: int) -> None:
        reading = self.reading
        voter_id = row[self.id_at].strip() if self.id_at is not None else None
        if voter_id is not None:
            if voter_id in self.voter_ids:
                raise PbFormatError(f"voter_id {voter_id!r} appears twice", line)
            self.voter_ids.add(voter_id)
        who = f"vote {voter_id!r}" if voter_id is not None else "the vote"
        chosen = strip_spaces_in_vote(row[self.vote_at], who, line, reading.normalised)
        for project_id in chosen:
            if project_id not in reading.projects:
                if not project_id:
                    raise PbFormatError(f"empty project id in {who}", line)
                raise PbFormatError(f"unknown project id {project_id!r} in {who}", line)
        chosen = count_repeats_once(chosen, reading.vote_type, who, line, reading.normalised)
        if reading.vote_type == "choose-1" and len(chosen) > 1:
            raise PbFormatError(f"{who} chooses {len(chosen)} projects in a choose-1 vote", line)
        points = None
        if self.points_at is not None:
            points_text = row[self.points_at].strip()
            raw = points_text.split(",") if points_text else []
            if len(raw) != len(chosen):
                raise PbFormatError(f"{who} has {len(chosen)} projects but {len(raw)} points", line)
            points = tuple(parse_number(p, f"points in {who}", line) for p in raw)
        method = row[self.method_at].strip() or None if self.method_at is not None else None
        shared = self.shared
        projects = tuple(chosen)
        projects = shared.setdefault(projects, projects)
        if points is not None:
            points = shared.setdefault(points, points)
        reading.ballots.append(Ballot(projects, points, 1, voter_id, method))

    def finish(self, line: int) -> None:
        self.reading.check_count("num_votes", len(self.reading.ballots))


# In the order a file has them.
SECTIONS: dict[str, type[Section]] = {s.name: s for s in (Meta, Projects, Votes)}
