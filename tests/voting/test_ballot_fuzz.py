"""Whatever is POSTed to the ballot, the answer is never a 500 and nothing invalid is stored."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from budgets.models import Round
from voting.models import Ballot
from voting.rules import BallotRule, check_ballot
from voting.services import ballot_options

junk = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", " ", "1e9", "NaN", "٣", "0x10", "-0"]),
)


class BallotFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        from tests.accounts.factories import UserFactory
        from tests.neighbourhoods.factories import CouncilFactory
        from tests.voting.conftest import make_voting_envelope

        council = CouncilFactory()
        cls.knapsack = make_voting_envelope(council)
        cls.cumulative = make_voting_envelope(
            CouncilFactory(),
            ballot_rule=Round.BallotRule.CUMULATIVE,
            points_total=10,
            points_per_proposal_max=5,
        )
        cls.voter = UserFactory(home_postcode="CF24 2AB")

    def _assert_every_stored_ballot_is_valid(self, envelope):
        rule, options = BallotRule.for_envelope(envelope), ballot_options(envelope)
        for ballot in Ballot.objects.filter(envelope=envelope):
            check_ballot(rule, dict(ballot.choices.values_list("proposal_id", "points")), options)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        choices=st.lists(st.one_of(junk, st.sampled_from(["1", "2", "3"])), max_size=6),
        submission=st.one_of(junk, st.uuids().map(str)),
        extra=st.dictionaries(
            st.sampled_from(["check", "age_confirmed", "choice[]", "x"]), junk, max_size=2
        ),
    )
    def test_choice_posts(self, choices, submission, extra):
        self.client.force_login(self.voter)
        ids = list(self.knapsack.proposals.values_list("pk", flat=True))
        real = [str(ids[int(c) - 1]) if c in {"1", "2", "3"} else c for c in choices]
        response = self.client.post(
            f"/envelopes/{self.knapsack.pk}/vote/",
            {"choice": real, "submission": submission, **extra},
        )
        assert response.status_code in (200, 302, 400)
        self._assert_every_stored_ballot_is_valid(self.knapsack)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(points=st.lists(junk, min_size=3, max_size=3), submission=st.uuids().map(str))
    def test_points_posts(self, points, submission):
        self.client.force_login(self.voter)
        ids = list(self.cumulative.proposals.values_list("pk", flat=True))
        data = {f"points-{pid}": value for pid, value in zip(ids, points, strict=True)}
        response = self.client.post(
            f"/envelopes/{self.cumulative.pk}/vote/", {**data, "submission": submission}
        )
        assert response.status_code in (200, 302, 400)
        self._assert_every_stored_ballot_is_valid(self.cumulative)


pytestmark = pytest.mark.django_db
