"""Every instance and rule in ../shared/pabulib/expected.json (pabutools 1.2.3's outcomes)."""

import json
import os
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

from voting.counting import read_pb
from voting.counting.engine import count_prepared
from voting.counting.prepare import prepare

# Beside the repository, unless PABULIB_DIR says otherwise.
PABULIB = Path(
    os.environ.get("PABULIB_DIR")
    or Path(__file__).resolve().parents[3] / ".." / "shared" / "pabulib"
)
EXPECTED = (
    json.loads((PABULIB / "expected.json").read_text(encoding="utf-8"))["instances"]
    if (PABULIB / "expected.json").exists()
    else {}
)
# Every instance and rule runs, mes-add1 on the largest elections included: the slowest
# (Toulouse 2022, where almost every extra euro changes the outcome) takes under a minute.
CASES = [
    pytest.param(name, rule, id=f"{name}-{rule}")
    for name, instance in sorted(EXPECTED.items())
    for rule in instance["rules"]
]


@cache
def prepared(name):
    return prepare(read_pb(PABULIB / name))


@pytest.mark.skipif(not EXPECTED, reason="no pabulib reference data (set PABULIB_DIR)")
@pytest.mark.parametrize(("name", "rule"), CASES)
def test_outcome_matches_pabutools(name, rule):
    expected = EXPECTED[name]["rules"][rule]
    outcome = count_prepared(prepared(name), rule)
    assert sorted(outcome.selected) == sorted(expected["selected"])
    assert Fraction(outcome.total_cost) == Fraction(expected["total_cost"])
