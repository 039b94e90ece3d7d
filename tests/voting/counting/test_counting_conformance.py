"""Every instance and rule in pabulib/expected.json here and ../shared/pabulib/expected.json
(pabutools 1.2.3's outcomes)."""

import json
import os
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

from voting.counting import read_pb
from voting.counting.engine import count_prepared
from voting.counting.prepare import prepare

# The small elections kept here always run; the full reference set beside the repository
# (or PABULIB_DIR) adds every instance it has.
BUNDLED = Path(__file__).resolve().parent / "pabulib"
SHARED = Path(
    os.environ.get("PABULIB_DIR")
    or Path(__file__).resolve().parents[3] / ".." / "shared" / "pabulib"
)


def _expected(folder: Path) -> dict[str, tuple[Path, dict]]:
    path = folder / "expected.json"
    if not path.exists():
        return {}
    instances = json.loads(path.read_text(encoding="utf-8"))["instances"]
    return {name: (folder / name, instance) for name, instance in instances.items()}


EXPECTED = {**_expected(SHARED), **_expected(BUNDLED)}
# Every instance and rule runs, mes-add1 on the largest elections included: the slowest
# (Toulouse 2022, where almost every extra euro changes the outcome) takes under a minute.
CASES = [
    pytest.param(name, rule, id=f"{name}-{rule}")
    for name, (_, instance) in sorted(EXPECTED.items())
    for rule in instance["rules"]
]


def test_the_bundled_elections_always_run():
    bundled = _expected(BUNDLED)
    assert len(bundled) >= 5
    assert {instance["vote_type"] for _, instance in bundled.values()} >= {
        "approval",
        "choose-1",
        "cumulative",
    }
    assert all(path.is_file() for path, _ in bundled.values())


@cache
def prepared(name):
    return prepare(read_pb(EXPECTED[name][0]))


@pytest.mark.parametrize(("name", "rule"), CASES)
def test_outcome_matches_pabutools(name, rule):
    expected = EXPECTED[name][1]["rules"][rule]
    outcome = count_prepared(prepared(name), rule)
    assert sorted(outcome.selected) == sorted(expected["selected"])
    assert Fraction(outcome.total_cost) == Fraction(expected["total_cost"])
