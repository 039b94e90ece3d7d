"""Every instance and rule in ../shared/pabulib/expected.json (pabutools 1.2.3's outcomes),
and every instance's official selection where the engine counts the rule its META names.
Five small instances kept beside this file (pabulib/) always run, so the checks never
skip on a machine without the full set.

pabutools funds a proposal nobody voted for when money is left after every other; the
engine never does. Such proposals come last under every rule (no votes, no points, no
supporters to pay), so the engine's outcome is pabutools' without them.
"""

import json
import os
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

from voting.counting import RULES, Eligibility, read_pb
from voting.counting.engine import count_prepared
from voting.counting.prepare import prepare

# Beside the repository, unless PABULIB_DIR says otherwise.
PABULIB = Path(
    os.environ.get("PABULIB_DIR")
    or Path(__file__).resolve().parents[3] / ".." / "shared" / "pabulib"
)
BUNDLED = Path(__file__).resolve().parent / "pabulib"


def _instances(folder: Path) -> dict[str, dict]:
    path = folder / "expected.json"
    return json.loads(path.read_text(encoding="utf-8"))["instances"] if path.exists() else {}


SHARED_EXPECTED = _instances(PABULIB)
BUNDLED_EXPECTED = _instances(BUNDLED)
EXPECTED = {**SHARED_EXPECTED, **BUNDLED_EXPECTED}
FOLDER = {name: PABULIB for name in SHARED_EXPECTED} | {name: BUNDLED for name in BUNDLED_EXPECTED}
# Every instance and rule runs, mes-add1 on the largest elections included: the slowest
# (Toulouse 2022, where almost every extra euro changes the outcome) takes under a minute.
CASES = [
    pytest.param(name, rule, id=f"{name}-{rule}")
    for name, instance in sorted(EXPECTED.items())
    for rule in instance["rules"]
]


@cache
def prepared(name):
    return prepare(read_pb(FOLDER[name] / name))


def test_the_bundled_elections_always_run():
    assert len(BUNDLED_EXPECTED) >= 5
    assert {i["vote_type"] for i in BUNDLED_EXPECTED.values()} >= {
        "approval",
        "choose-1",
        "cumulative",
    }
    assert all((BUNDLED / name).is_file() for name in BUNDLED_EXPECTED)
    assert {name for name, _ in ((p.values[0], p.values[1]) for p in CASES)} >= set(
        BUNDLED_EXPECTED
    )


@pytest.mark.parametrize(("name", "rule"), CASES)
def test_outcome_matches_pabutools(name, rule):
    expected = EXPECTED[name]["rules"][rule]
    prep = prepared(name)
    index = {pid: p for p, pid in enumerate(prep.ids)}
    unvoted = {pid for pid in expected["selected"] if prep.votes[index[pid]] == 0}
    outcome = count_prepared(prep, rule)
    assert sorted(outcome.selected) == sorted(set(expected["selected"]) - unvoted)
    unvoted_cost = sum(prep.real_money(prep.costs[index[pid]]) for pid in unvoted)
    assert Fraction(outcome.total_cost) == Fraction(expected["total_cost"]) - unvoted_cost


OFFICIAL = [
    pytest.param(name, id=name)
    for name, instance in sorted(EXPECTED.items())
    if instance.get("official", {}).get("rule") in RULES
]


@pytest.mark.skipif(not SHARED_EXPECTED, reason="no pabulib reference data (set PABULIB_DIR)")
def test_every_official_rule_the_engine_counts_is_covered():
    # 37 of the 49 instances with an official selection; the other 12 name greedy-custom,
    # greedy-exclusive or unknown, which have no single definition.
    assert len(OFFICIAL) == 37


@pytest.mark.parametrize("name", OFFICIAL)
def test_the_rule_in_the_files_meta_reproduces_the_official_selection(name):
    official = EXPECTED[name]["official"]
    meta = read_pb(FOLDER[name] / name).meta
    threshold = int(meta.get("min_project_score_threshold") or 0)
    outcome = count_prepared(prepared(name), official["rule"], eligibility=Eligibility(threshold))
    assert sorted(outcome.selected) == sorted(official["selected"])
