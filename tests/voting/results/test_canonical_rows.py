"""The count hashes the database's rows directly; the bytes must be the canonical file's."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from voting.counting import Ballot, Election, Project
from voting.counting.prepare import prepare, prepare_tallies
from voting.results.canonical import canonical_sha256, fingerprint_and_grouped, fingerprint_rows

RECEIPT = st.text(alphabet=string.ascii_uppercase + string.digits + "-", min_size=1, max_size=14)


@st.composite
def envelopes(draw):
    vote_type = draw(st.sampled_from(["approval", "cumulative"]))
    ids = sorted(draw(st.sets(st.integers(1, 120), min_size=1, max_size=8)))
    projects = [
        Project(str(i), draw(st.integers(0, 10**7)), name=f"Proposal {i}")
        for i in draw(st.permutations(ids))
    ]
    receipts = sorted(draw(st.sets(RECEIPT, max_size=12)))
    rows, ballots = [], []
    for receipt in receipts:
        chosen = sorted(draw(st.sets(st.sampled_from(ids), max_size=len(ids))))
        points = [draw(st.integers(0, 50)) for _ in chosen] if vote_type == "cumulative" else []
        rows.append((receipt, ",".join(map(str, chosen)), ",".join(map(str, points))))
        ballots.append(
            Ballot(
                tuple(map(str, chosen)),
                tuple(points) if vote_type == "cumulative" else None,
                1,
                receipt,
            )
        )
    budget = draw(st.integers(1, 10**9))
    return Election(vote_type, budget, projects, ballots), rows


@settings(max_examples=200, deadline=None, database=None)
@given(envelopes())
def test_the_rows_hash_to_the_canonical_files_sha256(envelope):
    election, rows = envelope
    digest, tallies = fingerprint_rows(election.vote_type, election.budget, election.projects, rows)
    assert digest == canonical_sha256(election)
    _, expected = fingerprint_and_grouped(election)
    assert tallies == {
        (b.projects, b.points) if b.points is not None else b.projects: b.multiplicity
        for b in expected.ballots
    }
    assert list(tallies) == [
        (b.projects, b.points) if b.points is not None else b.projects for b in expected.ballots
    ]
    counted = prepare_tallies(election.vote_type, election.budget, election.projects, tallies)
    assert counted == prepare(expected)
    assert counted.types == prepare(expected).types


def test_rows_that_csv_would_quote_or_out_of_order_take_the_general_path():
    projects = [Project("1", 5), Project("2", 5)]
    assert fingerprint_rows("approval", 10, projects, [("A;B", "1", "")]) is None
    assert fingerprint_rows("approval", 10, projects, [("B", "1", ""), ("A", "2", "")]) is None
    assert fingerprint_rows("approval", 10, projects, [("A", "1", ""), ("A", "2", "")]) is None
    assert fingerprint_rows("approval", 10, projects, [("A", "x", "")]) is None
    assert fingerprint_rows("approval", 10, projects, [("A", "1,2", "")]) is not None
