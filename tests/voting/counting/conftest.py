import os
from pathlib import Path

import pytest

# The repository root is three levels up; the reference elections sit beside it.
REPO_ROOT = Path(__file__).resolve().parents[3]


def pabulib_dir() -> Path:
    override = os.environ.get("PABULIB_DIR")
    return Path(override) if override else REPO_ROOT / ".." / "shared" / "pabulib"


@pytest.fixture
def pabulib():
    path = pabulib_dir()
    if not (path / "expected.json").exists():
        pytest.skip(f"no pabulib reference data at {path} (set PABULIB_DIR)")
    return path
