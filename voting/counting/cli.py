"""Command line: ``python -m voting.counting FILE.pb --rule mes-add1-greedy``.

Prints one JSON object. Errors in the file are one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from fractions import Fraction

from .engine import DEFAULT_RULE, RULES, count
from .model import CountingError, Number
from .pb_format import read_pb


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


def run(path: str, rule: str = DEFAULT_RULE, tie_break: str = "id", explain: bool = False):
    """Read, count and return the JSON-ready result. Raises CountingError."""
    start = time.perf_counter()
    election = read_pb(path)
    parsed = time.perf_counter()
    outcome = count(election, rule, tie_break)
    counted = time.perf_counter()
    result: dict[str, object] = {
        "selected": list(outcome.selected),
        "total_cost": json_number(outcome.total_cost),
        "count_seconds": round(counted - parsed, 6),
        "parse_seconds": round(parsed - start, 6),
    }
    if explain:
        result["rule"] = outcome.rule
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


def build_parser(prog: str = "python -m voting.counting") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description="Count a participatory-budgeting election from a pabulib .pb file."
    )
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the .pb file")
    parser.add_argument("--rule", choices=RULES, default=DEFAULT_RULE, help="counting rule")
    parser.add_argument(
        "--tie-break",
        choices=("id", "id-desc"),
        default="id",
        help="'id': the smallest project id compared as text wins a tie (default)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="add each proposal's votes and why it won or lost"
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = run(args.file, args.rule, args.tie_break, args.explain)
    except CountingError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0
