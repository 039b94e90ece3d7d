"""Benchmark the counting engine against pabutools 1.2.3 on the largest reference elections.

    python bench/count.py                      # the default set (about half an hour)
    python bench/count.py --instances Poland_Lodz_2022.pb --rules equalshares,greedy
    python bench/count.py --no-pabutools       # the engine alone
    python bench/count.py --no-pabutools --instances all --rules equalshares/add1

Each count runs in its own subprocess, so that peak memory (the process's maximum resident
set size: interpreter, imports, parsed file and count) is measured fairly. Times are the
process's CPU seconds, which stay steady on a busy machine where wall time does not (the
engine sums in one thread; pabutools is pure Python). The engine's
time is its count alone (merging identical ballots included), the median of three counts
in the same process (one for the slower Add1 rules), so that one-off start-up costs do
not count: for Add1 that includes starting Numba and loading the compiled run Add1 may
use, timed on its own in the ``start s`` column (once per process); pabutools' time is
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
    "France_Toulouse_2022.pb",
]
# Every rule the engine counts; pabutools has no greedy-no-skip, greedy-threshold or
# pabulib's Add1 (its Add1 is mes-add1), so those rows time the engine alone.
RULES = [
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
    "equalshares/add1-greedy",
    "mes-add1",
    "mes-add1-greedy",
    "phragmen",
]
PABUTOOLS_RULES = {"greedy", "equalshares", "equalshares-comparison", "mes-add1"}
PABUTOOLS_RULES |= {"mes-add1-greedy", "phragmen"}


# Workers: run in a subprocess, print one JSON line.


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_worker(path: str, rule: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from voting.counting import Eligibility, count, read_pb

    election = read_pb(path)
    # greedy-threshold takes the file's own threshold; the other rules none.
    threshold = election.meta.get("min_project_score_threshold", "0") or "0"
    eligibility = Eligibility(int(threshold) if rule == "greedy-threshold" else 0)
    started = time.process_time()
    if "add1" in rule:
        # Numba's start (import, and loading the compiled run Add1 may use): once per
        # process, so timed apart from the count.
        from voting.counting.equalshares.compiled import warm_up

        warm_up()
    start_up = time.process_time() - started
    times = []
    for _ in range(1 if "add1" in rule else 3):  # Add1 counts are long enough to time once
        start = time.process_time()
        outcome = count(election, rule, eligibility=eligibility)
        times.append(time.process_time() - start)
    seconds = statistics.median(times)
    unvoted = sorted(r.project_id for r in outcome.results if r.votes == 0)
    return {
        "seconds": seconds,
        "start_up": start_up,
        "selected": sorted(outcome.selected),
        "unvoted": unvoted,
        "peak_mb": peak_mb(),
    }


def pabutools_worker(path: str, rule: str) -> dict:
    from pabutools.election import (
        Additive_Cardinal_Sat,
        Cardinality_Sat,
        Cost_Sat,
        parse_pabulib,
    )
    from pabutools.election.satisfaction import AdditiveSatisfaction
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        popularity_comparison,
        sequential_phragmen,
    )

    instance, profile = parse_pabulib(path)
    vote_type = instance.meta["vote_type"]
    # Merging identical ballots is part of both sides' count.
    start = time.process_time()
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
    elif rule == "equalshares":
        result = method_of_equal_shares(instance, profile, sat_class=mes_sat)
    elif rule == "equalshares-comparison":
        mes = method_of_equal_shares(instance, profile, sat_class=mes_sat)
        compare = (
            Cardinality_Sat if vote_type in ("approval", "choose-1") else Additive_Cardinal_Sat
        )
        preferred = popularity_comparison(
            instance,
            profile,
            compare,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": mes_sat}, {"sat_class": greedy_sat}],
        )
        result = mes if mes in preferred else preferred[0]
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
    seconds = time.process_time() - start
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


def applicable(vote_type: str, rule: str, meta_threshold: bool) -> bool:
    if rule == "greedy-threshold" and not meta_threshold:
        return False
    if vote_type == "ordinal":
        return rule.startswith("greedy")
    if rule == "phragmen":
        return vote_type in ("approval", "choose-1")
    return True


def has_threshold(path: Path) -> bool:
    with path.open(encoding="utf-8") as file:
        for line in file:
            if line.startswith("min_project_score_threshold;"):
                return True
            if line.strip() == "PROJECTS":
                return False
    return False


def known_time(expected: dict, name: str, rule: str) -> str | None:
    """The reference run's wall time, when expected.json records one in a note.

    mes-add1-greedy starts with mes-add1, so mes-add1's time is a lower bound for it.
    """
    rules = expected.get(name, {}).get("rules", {})
    rule = "mes" if rule == "equalshares" else rule
    note = rules.get(rule, {}).get("note", "")
    if not note and rule == "mes-add1-greedy":
        note = rules.get("mes-add1", {}).get("note", "")
    match = re.search(r"\((\d+) s wall\)", note)
    return match.group(1) if match else None


def reference_rules(expected: dict, name: str) -> dict:
    return expected.get(name, {}).get("rules", {})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--instances", help='comma-separated .pb file names, or "all" for every shared one'
    )
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
    if args.instances == "all":
        names = sorted(path.name for path in pabulib.glob("*.pb"))
    else:
        names = args.instances.split(",") if args.instances else DEFAULT_INSTANCES
    rules = args.rules.split(",") if args.rules else RULES
    header = (
        f"{'instance':34} {'voters':>7} {'proj':>4} {'rule':27} {'engine s':>9} {'start s':>7} "
        f"{'pabutools s':>12} {'ratio':>8} {'engine MB':>9} {'pabu MB':>8} same"
    )
    print(header)
    print("-" * len(header))
    for name in names:
        info = expected.get(name, {})
        vote_type = info.get("vote_type", "approval")
        threshold = has_threshold(pabulib / name)
        for rule in rules:
            if not applicable(vote_type, rule, threshold):
                continue
            ours = run_worker("engine", pabulib / name, rule, timeout=3600)
            unvoted = set(ours["unvoted"])
            theirs = (
                None
                if args.no_pabutools or rule not in PABUTOOLS_RULES
                else run_worker("pabutools", pabulib / name, rule, args.timeout)
            )
            if theirs is not None:
                their_s = f"{theirs['seconds']:.3f}"
                ratio = f"{theirs['seconds'] / ours['seconds']:.0f}x"
                their_mb = f"{theirs['peak_mb']:.0f}"
                # pabutools funds unvoted proposals with money left; the engine never does.
                kept = sorted(set(theirs["selected"]) - unvoted)
                same = "yes" if kept == ours["selected"] else "NO"
            elif rule not in PABUTOOLS_RULES:
                their_s, ratio, their_mb, same = "n/a", "-", "-", "-"
            else:
                reference = reference_rules(expected, name).get(
                    "mes" if rule == "equalshares" else rule
                )
                known = known_time(expected, name, rule)
                if args.no_pabutools:
                    their_s, ratio = "-", "-"
                elif known:
                    about = "~" if reference else "> "
                    their_s = f"{about}{known} (ref)"
                    ratio = f"{about}{float(known) / ours['seconds']:.0f}x"
                else:
                    their_s = f"> {args.timeout:.0f}"
                    ratio = f"> {args.timeout / ours['seconds']:.0f}x"
                their_mb = "-"
                same = (
                    "yes (ref)"
                    if reference
                    and sorted(set(reference["selected"]) - unvoted) == ours["selected"]
                    else "?"
                )
            print(
                f"{name[:34]:34} {info.get('num_ballots', 0):>7} {info.get('num_projects', 0):>4} "
                f"{rule:27} {ours['seconds']:>9.3f} {ours['start_up']:>7.2f} "
                f"{their_s:>12} {ratio:>8} "
                f"{ours['peak_mb']:>9.0f} {their_mb:>8} {same}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
