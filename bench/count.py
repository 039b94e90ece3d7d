"""Benchmark the counting engine against pabutools 1.2.3 on the largest reference elections.

    python bench/count.py                      # the default set (about 17 minutes)
    python bench/count.py --instances Poland_Lodz_2022.pb --rules mes,greedy --timeout 600

Each count runs in its own subprocess, so that peak memory (the process's maximum resident
set size: interpreter, imports, parsed file and count) is measured fairly. The engine's
time is its count alone (merging identical ballots included), the median of three counts
in the same process, so that one-off start-up costs do not count; pabutools' time is
``profile.as_multiprofile()`` plus the rule call, as in expected.json. When pabutools runs
past ``--timeout`` the table shows ``> timeout`` and, where expected.json records how long
the reference run took, that time. Both sides must select the same projects; the
``same`` column says so. There is no timed test: this is a report.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PABULIB = ROOT / ".." / "shared" / "pabulib"
DEFAULT_INSTANCES = [
    "Poland_Warszawa_2026.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Krakow_2024.pb",
    "Poland_Wroclaw_2015_150_-_500.pb",
    "Poland_Warszawa_2024_Mokotow.pb",
]
RULES = ["greedy", "mes", "mes-add1", "mes-add1-greedy", "phragmen"]


# Workers: run in a subprocess, print one JSON line.


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_worker(path: str, rule: str, repeat: int = 3) -> dict:
    sys.path.insert(0, str(ROOT))
    from voting.counting import count, read_pb

    election = read_pb(path)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        outcome = count(election, rule)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    return {"seconds": seconds, "selected": sorted(outcome.selected), "peak_mb": peak_mb()}


def pabutools_worker(path: str, rule: str) -> dict:
    from pabutools.election import (
        Additive_Cardinal_Sat,
        Cost_Sat,
        parse_pabulib,
    )
    from pabutools.election.satisfaction import AdditiveSatisfaction
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    instance, profile = parse_pabulib(path)
    vote_type = instance.meta["vote_type"]
    # Merging identical ballots is part of both sides' count.
    start = time.perf_counter()
    profile = profile.as_multiprofile()
    if vote_type in ("approval", "choose-1"):
        greedy_sat = mes_sat = Cost_Sat
    elif vote_type == "ordinal":
        longest = max(len(b) for b in profile)
        k = max(longest, int(instance.meta.get("max_length", 0) or 0))

        class PositionalTimesCost(AdditiveSatisfaction):
            def __init__(self, inst, prof, ballot):
                super().__init__(
                    inst,
                    prof,
                    ballot,
                    lambda i, p, b, proj, pre: (k - b.index(proj)) * proj.cost if proj in b else 0,
                )

        greedy_sat = PositionalTimesCost
        mes_sat = None
    else:

        class PointsTimesCost(AdditiveSatisfaction):
            def __init__(self, inst, prof, ballot):
                super().__init__(
                    inst, prof, ballot, lambda i, p, b, proj, pre: b.get(proj, 0) * proj.cost
                )

        greedy_sat = PointsTimesCost
        mes_sat = Additive_Cardinal_Sat
    if rule == "greedy":
        result = greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat)
    elif rule == "mes":
        result = method_of_equal_shares(instance, profile, sat_class=mes_sat)
    elif rule == "mes-add1":
        result = method_of_equal_shares(
            instance, profile, sat_class=mes_sat, voter_budget_increment=1
        )
    elif rule == "mes-add1-greedy":
        result = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": mes_sat, "voter_budget_increment": 1}, {"sat_class": greedy_sat}],
        )
    else:
        result = sequential_phragmen(instance, profile)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "selected": sorted(p.name for p in result), "peak_mb": peak_mb()}


# Driver.


def run_worker(side: str, path: Path, rule: str, timeout: float) -> dict | None:
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", side, str(path), rule],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"{side} failed on {path.name} {rule}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def applicable(vote_type: str, rule: str) -> bool:
    if vote_type == "ordinal":
        return rule == "greedy"
    if rule == "phragmen":
        return vote_type in ("approval", "choose-1")
    return True


def known_time(expected: dict, name: str, rule: str) -> str | None:
    """The reference run's wall time, when expected.json records one in a note.

    mes-add1-greedy starts with mes-add1, so mes-add1's time is a lower bound for it.
    """
    rules = expected.get(name, {}).get("rules", {})
    note = rules.get(rule, {}).get("note", "")
    if not note and rule == "mes-add1-greedy":
        note = rules.get("mes-add1", {}).get("note", "")
    match = re.search(r"\((\d+) s wall\)", note)
    return match.group(1) if match else None


def reference_rules(expected: dict, name: str) -> dict:
    return expected.get(name, {}).get("rules", {})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", help="comma-separated .pb file names")
    parser.add_argument("--rules", help="comma-separated rules (default: all that apply)")
    parser.add_argument(
        "--timeout", type=float, default=120, help="seconds allowed per pabutools run"
    )
    parser.add_argument("--pabulib", default=os.environ.get("PABULIB_DIR") or DEFAULT_PABULIB)
    parser.add_argument("--no-pabutools", action="store_true", help="time the engine only")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        side, path, rule = args.worker
        worker = engine_worker if side == "engine" else pabutools_worker
        print(json.dumps(worker(path, rule)))
        return 0

    pabulib = Path(args.pabulib)
    expected = json.loads((pabulib / "expected.json").read_text(encoding="utf-8"))["instances"]
    names = args.instances.split(",") if args.instances else DEFAULT_INSTANCES
    rules = args.rules.split(",") if args.rules else RULES
    header = (
        f"{'instance':34} {'voters':>7} {'proj':>4} {'rule':16} {'engine s':>9} "
        f"{'pabutools s':>12} {'ratio':>8} {'engine MB':>9} {'pabu MB':>8} same"
    )
    print(header)
    print("-" * len(header))
    for name in names:
        info = expected.get(name, {})
        vote_type = info.get("vote_type", "approval")
        for rule in rules:
            if not applicable(vote_type, rule):
                continue
            ours = run_worker("engine", pabulib / name, rule, timeout=3600)
            theirs = (
                None
                if args.no_pabutools
                else run_worker("pabutools", pabulib / name, rule, args.timeout)
            )
            if theirs is not None:
                their_s = f"{theirs['seconds']:.3f}"
                ratio = f"{theirs['seconds'] / ours['seconds']:.0f}x"
                their_mb = f"{theirs['peak_mb']:.0f}"
                same = "yes" if theirs["selected"] == ours["selected"] else "NO"
            else:
                reference = expected.get(name, {}).get("rules", {}).get(rule)
                known = known_time(expected, name, rule)
                if args.no_pabutools:
                    their_s, ratio = "-", "-"
                elif known:
                    about = "~" if rule in reference_rules(expected, name) else "> "
                    their_s = f"{about}{known} (ref)"
                    ratio = f"{about}{float(known) / ours['seconds']:.0f}x"
                else:
                    their_s = f"> {args.timeout:.0f}"
                    ratio = f"> {args.timeout / ours['seconds']:.0f}x"
                their_mb = "-"
                same = (
                    "yes (ref)"
                    if reference and sorted(reference["selected"]) == ours["selected"]
                    else "?"
                )
            print(
                f"{name[:34]:34} {info.get('num_ballots', 0):>7} {info.get('num_projects', 0):>4} "
                f"{rule:16} {ours['seconds']:>9.3f} {their_s:>12} {ratio:>8} "
                f"{ours['peak_mb']:>9.0f} {their_mb:>8} {same}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
