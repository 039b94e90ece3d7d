"""For approval ballots, who supports what and the comparison step are worked out with
NumPy; these tests check they give exactly what the plain Python, ballot type by ballot
type, gives (the Python is what points ballots still use).
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from voting.counting import Ballot, Election, Project
from voting.counting.equalshares import MesData
from voting.counting.equalshares.completion import _approval_preferences, _preferences
from voting.counting.prepare import prepare


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
    assert data._approval_types(m) == data._types(m)


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
