"""For approval ballots, who supports what and the comparison step are worked out with
NumPy; these tests check they give exactly what the plain Python, ballot type by ballot
type, gives (the Python is what points ballots still use).
"""

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voting.counting import Ballot, Election, ElectionError, Project
from voting.counting.equalshares import MesData
from voting.counting.equalshares.completion import _approval_preferences, _preferences
from voting.counting.prepare import (
    _ballot_types,
    _equal_rows,
    _longest_ranking,
    _merge_identical_ballots,
    _tally,
    prepare,
)


@st.composite
def approval_elections(draw):
    m = draw(st.integers(1, 8))
    ballots = draw(
        st.lists(
            st.tuples(
                st.sets(st.integers(0, m - 1), max_size=m),
                st.integers(1, 5),
            ),
            max_size=30,
        )
    )
    return Election(
        "approval",
        100,
        [Project(str(p), draw(st.integers(0, 60))) for p in range(m)],
        [Ballot(tuple(str(p) for p in chosen), None, weight) for chosen, weight in ballots],
    )


@settings(max_examples=200, deadline=None)
@given(approval_elections())
def test_supporters_with_numpy_are_the_plain_lists(election):
    data = MesData(prepare(election))
    m = len(election.projects)
    by_project, utilities = data._approval_arrays(m)
    assert ([ts.tolist() for ts in by_project], utilities) == data._types(m)


@settings(max_examples=200, deadline=None)
@given(approval_elections(), st.data())
def test_comparison_with_numpy_counts_the_same_voters(election, draw):
    prep = prepare(election)
    projects = list(range(len(election.projects)))
    equal_shares = draw.draw(st.lists(st.sampled_from(projects), unique=True))
    by_votes = draw.draw(st.lists(st.sampled_from(projects), unique=True))
    assert _approval_preferences(prep, equal_shares, by_votes) == _preferences(
        prep, equal_shares, by_votes
    )


@st.composite
def shuffled_elections(draw):
    """Approval or ranked ballots whose projects are listed in any order, so that two
    ballots may list the same projects differently, with some projects past 64 (a second
    word of bits)."""
    vote_type = draw(st.sampled_from(["approval", "ordinal"]))
    m = draw(st.integers(1, 70))
    ballots = draw(
        st.lists(
            st.tuples(
                st.lists(st.integers(0, m - 1), unique=True, max_size=6),
                st.integers(1, 5),
            ),
            max_size=40,
        )
    )
    meta = {"max_length": str(draw(st.integers(0, 8)))}
    return Election(
        vote_type,
        100,
        [Project(str(p), 10) for p in range(m)],
        [Ballot(tuple(str(p) for p in chosen), None, weight) for chosen, weight in ballots],
        meta=meta,
    )


@settings(max_examples=400, deadline=None)
@given(shuffled_elections())
def test_ballot_types_with_numpy_are_the_plain_types(election):
    prep = prepare(election)
    vote_type = election.vote_type
    raw, _n = _merge_identical_ballots(election.ballots, False)
    index = {p.id: i for i, p in enumerate(election.projects)}
    max_rank = _longest_ranking(election, raw) if vote_type == "ordinal" else 0
    grouped = _ballot_types(raw, index, vote_type, 1, max_rank)
    types, votes, scores = _tally(grouped, len(index), vote_type)
    assert prep.types == types
    assert (prep.votes, prep.scores) == (votes, scores)
    if vote_type == "ordinal":
        return
    of_type, chosen, weights = prep.approvals
    assert weights.tolist() == [w for _c, _p, w in types]
    assert list(zip(of_type.tolist(), chosen.tolist(), strict=True)) == [
        (t, p) for t, (projects, _p, _w) in enumerate(types) for p in projects
    ]


def test_approval_ballot_naming_a_project_twice_or_an_unknown_one_is_refused():
    projects = [Project("1", 10), Project("2", 10)]
    with pytest.raises(ElectionError, match="the same project twice"):
        prepare(Election("approval", 10, projects, [Ballot(("2", "1", "2"))]))
    with pytest.raises(ElectionError, match="unknown project '3'"):
        prepare(Election("approval", 10, projects, [Ballot(("1",)), Ballot(("3",))]))


def test_rows_whose_keys_collide_are_still_told_apart(monkeypatch):
    # Every row gets the same key, so rows are told apart by comparing them in full.
    prepare_module = importlib.import_module("voting.counting.prepare")
    monkeypatch.setattr(prepare_module, "_row_key", lambda rows: np.zeros(len(rows), np.uint64))
    rows = np.array([[7, 0], [0, 7], [7, 0], [0, 0]], dtype=np.uint64)
    first, inverse = _equal_rows(rows)
    assert sorted(first.tolist()) == [0, 1, 3]
    assert inverse[0] == inverse[2]
    assert len({inverse[0], inverse[1], inverse[3]}) == 3
