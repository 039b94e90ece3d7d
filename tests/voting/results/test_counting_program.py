"""The counting program as its own download: the counting package and nothing else, the
same bytes every time (so the SHA-256 the pages show is the file's), offered on the
results page with the command that counts its ballots again."""

import hashlib
import io
import zipfile

import pytest
from django.urls import reverse

from voting.results import program
from voting.results.selectors import counting_source_files

pytestmark = pytest.mark.django_db


def test_the_zip_holds_the_counting_package_and_nothing_else(client):
    response = client.get(reverse("voting-counting-zip"))

    assert response["Content-Type"] == "application/zip"
    assert 'filename="counting-program.zip"' in response["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == sorted(f"counting/{name}" for name in counting_source_files())
    assert {"counting/__main__.py", "counting/fingerprint.py", "counting/README.md"} <= set(names)


def test_the_zip_is_the_same_every_time_and_its_sha256_is_shown(client):
    first = client.get(reverse("voting-counting-zip")).content
    program.counting_zip.cache_clear()
    second = client.get(reverse("voting-counting-zip")).content

    assert first == second
    digest = hashlib.sha256(first).hexdigest()
    assert digest == program.counting_zip_sha256()
    assert digest in client.get(reverse("voting-counting-source")).content.decode()


def test_the_command_carries_the_rounds_thresholds(published_envelope):
    outcome = published_envelope.outcome
    outcome.details = {"min_votes": 3, "cost_share_divisor": 2}
    outcome.tie_break = "id-desc"

    assert program.recount_command(outcome) == (
        f"python -m counting {program.ballot_file_name(outcome, 'pb')} --rule greedy "
        "--min-votes 3 --cost-share-divisor 2 --tie-break id-desc --check"
    )
