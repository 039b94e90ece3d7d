"""Command line: ``python -m voting.counting FILE.pb --rule equalshares/add1``.

Prints one JSON object, or with ``--check`` the funded proposals and the fingerprint of
the ballots in plain words, as a results page shows them. Errors in the file are one
line on stderr and exit status 2. ``--rule from-file`` counts by the file's own META
``rule`` and ``min_project_score_threshold``.

The package runs on its own too: unzipped as ``counting/`` (the results pages offer it as
a download), ``python -m counting FILE.pb --rule ... --check``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import time
from collections.abc import Callable
from fractions import Fraction

from .engine import ALIASES, DEFAULT_RULE, RULES, Eligibility, count
from .explain import money
from .fingerprint import canonical_sha256, recorded_fingerprint
from .model import CountingError, Election, Number, Outcome, UnsupportedRule
from .pb_format import read_pb
from .rules import resolve

# Above this many ballots, an Add1 count without Numba may take a while: the program
# says so before it starts, and how to make it quicker.
LONG_WITHOUT_NUMBA = 10_000

# "python -m voting.counting" inside the project; "python -m counting" once downloaded.
PROG = f"python -m {__package__}"


def json_number(value: Number) -> int | str:
    """An int as a JSON number; anything else as an exact string ('12.5' or '1/3')."""
    value = Fraction(value)
    if value.denominator == 1:
        return int(value)
    digits = 0
    scaled = value
    while scaled.denominator != 1 and digits < 30:
        scaled *= 10
        digits += 1
    if scaled.denominator == 1:
        sign = "-" if value < 0 else ""
        whole, frac = divmod(abs(int(scaled)), 10**digits)
        return f"{sign}{whole}.{frac:0{digits}d}"
    return f"{value.numerator}/{value.denominator}"


FROM_FILE = "from-file"


def file_rule(meta: dict[str, str]) -> tuple[str, int]:
    """The rule and vote threshold a file's META says it was counted with."""
    rule = meta.get("rule", "")
    if rule not in RULES:
        raise UnsupportedRule(
            f"the file's META rule is {rule!r}, which this engine does not count; "
            "choose one with --rule"
        )
    threshold = meta.get("min_project_score_threshold", "0").strip() or "0"
    if not threshold.isdigit():
        raise UnsupportedRule(
            f"the file's min_project_score_threshold {threshold!r} is not a count"
        )
    return rule, int(threshold)


def read_and_count(
    path: str,
    rule: str = DEFAULT_RULE,
    tie_break: str = "id",
    min_votes: int = 0,
    cost_share_divisor: int | None = None,
    say: Callable[[str], None] | None = None,
) -> tuple[Election, Outcome, float, float]:
    """The file's election, its outcome, and the seconds reading and counting took.
    ``say``, if given, is called with a note for the person waiting before a count that
    may be long."""
    start = time.perf_counter()
    election = read_pb(path)
    parsed = time.perf_counter()
    if rule == FROM_FILE:
        rule, from_meta = file_rule(election.meta)
        min_votes = max(min_votes, from_meta)
    found = resolve(rule)
    # The engine refuses this too; said here, the message names the option to give.
    if found.needs_threshold and min_votes < 1:
        raise UnsupportedRule(
            f"{rule} needs a vote threshold of 1 vote or more: give one with --min-votes N"
        )
    if say and found.completion and election.num_ballots > LONG_WITHOUT_NUMBA:
        from .equalshares.completion import numba_installed

        if not numba_installed():
            say(
                f"{election.num_ballots:,} ballots: counting with Add1 repeats the count with "
                "a little more money each time, which can take a minute or more on this "
                "many. Installing Numba (python -m pip install numba) makes it much "
                "quicker; the result is the same."
            )
    eligibility = Eligibility(min_votes, cost_share_divisor)
    outcome = count(election, rule, tie_break, eligibility=eligibility)
    counted = time.perf_counter()
    return election, outcome, parsed - start, counted - parsed


def json_result(
    election: Election,
    outcome: Outcome,
    parse_seconds: float,
    count_seconds: float,
    *,
    explain: bool = False,
) -> dict[str, object]:
    """The JSON-ready result of ``read_and_count``."""
    result: dict[str, object] = {
        "rule": outcome.rule,
        "selected": list(outcome.selected),
        "total_cost": json_number(outcome.total_cost),
        "count_seconds": round(count_seconds, 6),
        "parse_seconds": round(parse_seconds, 6),
    }
    if election.normalised:
        result["normalised"] = list(election.normalised)
    if explain:
        result["tie_break"] = outcome.tie_break
        result["budget"] = json_number(outcome.budget)
        result["details"] = {
            k: (json_number(v) if isinstance(v, (int, Fraction)) and not isinstance(v, bool) else v)
            for k, v in outcome.details.items()
        }
        result["results"] = [
            {
                "project_id": r.project_id,
                "name": r.name,
                "cost": json_number(r.cost),
                "votes": r.votes,
                "score": json_number(r.score),
                "funded": r.funded,
                "funded_order": r.funded_order,
                "reason": r.reason,
                "reason_text": r.reason_text,
            }
            for r in outcome.results
        ]
    return result


def fingerprint_lines(election: Election) -> list[str]:
    """The fingerprint of the ballots; whether it is the one the file's META comment
    records; and what to compare it with."""
    try:
        fingerprint = canonical_sha256(election)
    except ValueError:
        return ["Fingerprint of the ballots: none, as the file does not give every vote its own id"]
    lines = [f"Fingerprint of the ballots: {fingerprint}"]
    # Only the platform's own files record it, and only they have a results page.
    recorded = recorded_fingerprint(election.meta.get("comment", ""))
    if recorded is None:
        return lines
    if recorded == fingerprint:
        lines.append("  The file's META comment records the same fingerprint.")
    else:
        lines += [
            f"  NOT the fingerprint the file's META comment records: {recorded}",
            "  These are not the ballots the file was published with: something the count "
            "reads (the budget, a cost or a vote) was changed.",
        ]
    if election.normalised:
        # The fingerprint is of the ballots as read; the platform never writes a file
        # that needs a change to be read.
        lines.append(
            "  It is worked out after the changes noted above, which the platform's own "
            "files never need: this copy of the file was edited after it was published."
        )
    lines.append(
        "  To finish the check, compare it with the fingerprint on the results page: the "
        "same means these are exactly the ballots that were counted."
    )
    return lines


def check_text(election: Election, outcome: Outcome, *, explain: bool = False) -> str:
    """The outcome in plain words, in the order a results page lists it: the funded
    proposals in the order the count chose them, the others by votes; whether the file's
    own record of what was selected agrees; then the fingerprint of the ballots, to
    compare with the one the page shows."""
    funded = sorted((r for r in outcome.results if r.funded), key=lambda r: r.funded_order or 0)
    others = sorted(
        (r for r in outcome.results if not r.funded),
        key=lambda r: (-r.score, -r.votes, r.project_id),
    )
    width = max((len(r.project_id) for r in outcome.results), default=0)
    empty = sum(b.multiplicity for b in election.ballots if not b.projects)
    lines = [
        f"Ballots counted: {election.num_ballots:,}"
        + (f" ({empty:,} choosing no proposal)" if empty else ""),
        f"Rule: {outcome.rule}",
        *threshold_lines(outcome),
        "",
        f"Funded ({len(funded)}), in the order the count chose them:",
        *(f"  {r.project_id:>{width}}  {r.name or r.project_id}" for r in funded),
        *(["  none"] if not funded else []),
        "",
        f"Not funded ({len(others)}):",
        *(f"  {r.project_id:>{width}}  {r.name or r.project_id}" for r in others),
        *(["  none"] if not others else []),
        "",
        *comparison_lines(outcome.details.get("comparison")),
        f"Cost of the funded proposals: {money(outcome.total_cost)} of a budget of "
        f"{money(outcome.budget)} (in the file's units)",
        *votes_lines(election, outcome),
        *selection_lines(election, outcome),
        *fingerprint_lines(election),
        *(explain_lines(outcome) if explain else []),
    ]
    return "\n".join(lines)


def threshold_lines(outcome: Outcome) -> list[str]:
    """The thresholds the count applied besides its rule, in plain words."""
    lines = []
    min_votes = outcome.details.get("min_votes")
    if min_votes:
        lines.append(f"  and only proposals with at least {min_votes:,} votes could be funded")
    divisor = outcome.details.get("cost_share_divisor")
    if divisor:
        lines.append(
            "  and only proposals whose share of voters was at least their share of the "
            f"budget divided by {divisor} could be funded"
        )
    return lines


def explain_lines(outcome: Outcome) -> list[str]:
    """Why each proposal won or lost, in the order the results list them."""
    width = max((len(r.project_id) for r in outcome.results), default=0)
    return [
        "",
        "Why each proposal won or lost:",
        *(f"  {r.project_id:>{width}}  {r.reason_text}" for r in outcome.results),
    ]


def votes_lines(election: Election, outcome: Outcome) -> list[str]:
    """How the votes these ballots give compare with those the file itself records
    (pabulib's PROJECTS column ``votes``), if it records them."""
    counted = {r.project_id: r.votes for r in outcome.results}
    recorded = {
        p.id: p.extra["votes"].strip()
        for p in election.projects
        if "votes" in p.extra and p.id in counted
    }
    if not recorded:
        return []
    differ = [(pid, said) for pid, said in recorded.items() if said != str(counted[pid])]
    if not differ:
        return [f"Votes in the file too: the same for all {len(recorded):,} proposals."]
    return [
        "Votes in the file: NOT the same as its ballots give, so the ballots or the votes "
        "were changed after the file was written:",
        *(
            f"  {pid}: the file says {said}, the ballots give {counted[pid]:,}"
            for pid, said in differ
        ),
    ]


def selection_lines(election: Election, outcome: Outcome) -> list[str]:
    """How this count compares with the selection the file itself records (pabulib's
    PROJECTS column ``selected``, 1 for selected), if it records one."""
    if not any("selected" in p.extra for p in election.projects):
        return [
            "Selected in the file: nothing to compare with, as the file has no official "
            "selection (no PROJECTS column 'selected')."
        ]
    recorded = {p.id for p in election.projects if p.extra.get("selected", "").strip() == "1"}
    funded = set(outcome.selected)
    if recorded == funded:
        return [f"Selected in the file too: the same {len(funded):,} proposals."]
    said = election.meta.get("rule", "").strip()
    if said == outcome.rule:
        why = "The file says it was counted by this same rule"
    elif said and said != "unknown":
        why = f"The file says it was counted by the rule {said!r}; this count used {outcome.rule}"
    else:
        why = f"The file does not name the rule it was counted by; this count used {outcome.rule}"
    why += (
        ". A different rule, or limits on voting that the file's own description mentions, "
        "can fund different proposals."
    )
    lines = [
        "Selected in the file: NOT the same as this count.",
        f"  {why}",
        f"  selected in the file, not funded here ({len(recorded - funded):,}): "
        + (", ".join(sorted(recorded - funded)) or "none"),
        f"  funded here, not selected in the file ({len(funded - recorded):,}): "
        + (", ".join(sorted(funded - recorded)) or "none"),
    ]
    return lines


def comparison_lines(comparison: object) -> list[str]:
    """The comparison step's tallies, as the results page shows them."""
    if not isinstance(comparison, dict):
        return []
    kept = "Equal Shares" if comparison["kept"] == "equal_shares" else "most votes"
    return [
        "Compared with most votes:",
        f"  voters who preferred the Equal Shares outcome: {comparison['prefer_equal_shares']:,}",
        f"  voters who preferred the outcome by most votes: {comparison['prefer_greedy']:,}",
        f"  outcome kept: {kept}",
        "",
    ]


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Count a participatory-budgeting election from a pabulib .pb file.",
        epilog=rules_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    return parser


def rules_epilog() -> str:
    """The rules --rule takes, one line of plain English each, for --help: argparse would
    wrap their names at hyphens."""
    width = max(len(name) for name in (*RULES, FROM_FILE))
    lines = ["rules (--rule):"]
    entries = [
        *((name, resolve(name).summary) for name in RULES),
        *((alias, f"earlier name of {name}") for alias, name in ALIASES.items()),
        (FROM_FILE, "the rule and min_project_score_threshold the file's META names"),
    ]
    for name, summary in entries:
        default = " (the default)" if name == DEFAULT_RULE else ""
        lines += textwrap.wrap(
            summary + default,
            width=78,
            initial_indent=f"  {name:<{width}}  ",
            subsequent_indent=" " * (width + 4),
            break_on_hyphens=False,
        )
    lines += ["", "README.md, beside this program, explains each rule and what --check prints."]
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .pb file")
    parser.add_argument(
        "--rule",
        choices=(*RULES, *ALIASES, FROM_FILE),
        default=DEFAULT_RULE,
        metavar="RULE",
        help=f"counting rule, one of those listed below (default {DEFAULT_RULE})",
    )
    parser.add_argument(
        "--min-votes",
        type=int,
        default=0,
        help="fund only proposals with at least this many votes (points for points ballots)",
    )
    parser.add_argument(
        "--cost-share-divisor",
        type=int,
        default=None,
        help="fund only proposals whose share of voters is at least their share of the "
        "budget divided by this (Świecie 2023: 3)",
    )
    parser.add_argument(
        "--tie-break",
        choices=("id", "id-desc"),
        default="id",
        help="who wins a tie: 'id' (default), the smallest project id compared as text "
        "('10' before '9'); 'id-desc', the largest",
    )
    parser.add_argument(
        "--explain", action="store_true", help="add each proposal's votes and why it won or lost"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="print the funded proposals and the fingerprint of the ballots in plain words, "
        "to compare with a results page, instead of JSON",
    )


def printout(
    file: str,
    *,
    rule: str = DEFAULT_RULE,
    tie_break: str = "id",
    min_votes: int = 0,
    cost_share_divisor: int | None = None,
    explain: bool = False,
    check: bool = False,
    say: Callable[[str], None] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """What the command line prints for these options: the JSON object (or, with
    ``check``, the outcome in plain words), and its notes about the file. Raises
    CountingError."""
    counted = read_and_count(file, rule, tie_break, min_votes, cost_share_divisor, say=say)
    election, outcome = counted[:2]
    if check:
        text = check_text(election, outcome, explain=explain)
    else:
        text = json.dumps(json_result(*counted, explain=explain), ensure_ascii=False)
    return text, tuple(election.normalised)


OPTIONS = ("rule", "tie_break", "min_votes", "cost_share_divisor", "explain", "check")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        text, notes = printout(
            args.file,
            **{name: getattr(args, name) for name in OPTIONS},
            say=lambda note: print(f"note: {note}", file=sys.stderr, flush=True),
        )
    except CountingError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"note: {args.file}: {note}", file=sys.stderr)
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # The reader stopped reading (``| head``): what it wanted it has. Point stdout at
        # nowhere so that Python's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
