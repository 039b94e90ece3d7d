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
# mes-add1 reruns MES once per currency unit added to each voter's budget, hundreds of
# times on the larger elections: those counts take from seconds to minutes, so they are
# marked slow and run only with RUN_SLOW_COUNTS=1. Every other count runs by default.
ADD1 = ("mes-add1", "mes-add1-greedy")
SMALL_BUT_SLOW = {"Netherlands_Amsterdam_166.pb"}
RUN_SLOW = os.environ.get("RUN_SLOW_COUNTS") == "1"


def is_slow(name, rule):
    instance = EXPECTED[name]
    return rule in ADD1 and (instance["num_ballots"] > 1000 or name in SMALL_BUT_SLOW)


CASES = [
    pytest.param(
        name,
        rule,
        id=f"{name}-{rule}",
        marks=[
            pytest.mark.slow,
            pytest.mark.skipif(not RUN_SLOW, reason="slow: set RUN_SLOW_COUNTS=1"),
        ]
        if is_slow(name, rule)
        else [],
    )
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
