from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from budgets.models import Round
from tests.budgets.factories import RoundFactory

pytestmark = pytest.mark.django_db
Phase = Round.Phase


def test_rules_can_change_in_the_draft():
    round_ = RoundFactory(phase=Phase.DRAFT, counting_rule=Round.CountingRule.GREEDY)
    round_.counting_rule = Round.CountingRule.EQUAL_SHARES_ADD1_GREEDY
    round_.full_clean()


@pytest.mark.parametrize(
    "phase", [Phase.PROPOSALS_OPEN, Phase.VOTING_OPEN, Phase.VOTING_CLOSED, Phase.PUBLISHED]
)
def test_rules_cannot_change_once_the_round_is_open(phase):
    round_ = RoundFactory(phase=phase, ballot_rule=Round.BallotRule.KNAPSACK)
    round_.ballot_rule = Round.BallotRule.APPROVAL
    with pytest.raises(ValidationError, match="cannot change once the round is open"):
        round_.full_clean()


def test_phase_dates_must_be_in_order():
    round_ = RoundFactory.build(fund=RoundFactory().fund)
    round_.voting_closes_at = round_.voting_opens_at
    with pytest.raises(ValidationError, match="Voting must close after it opens."):
        round_.full_clean()


def test_k_approval_needs_k():
    round_ = RoundFactory.build(fund=RoundFactory().fund, ballot_rule=Round.BallotRule.K_APPROVAL)
    with pytest.raises(ValidationError, match="give the most proposals a voter may choose"):
        round_.full_clean()


def test_the_timeline_marks_done_current_and_upcoming():
    round_ = RoundFactory(phase=Phase.REVIEW)
    states = {step["phase"]: step["state"] for step in round_.phase_timeline()}
    assert states[Phase.PROPOSALS_OPEN] == "done"
    assert states[Phase.REVIEW] == "current"
    assert states[Phase.VOTING_OPEN] == "upcoming"
    assert Phase.DRAFT not in states


def test_the_database_refuses_a_rule_change_once_the_round_is_open():
    round_ = RoundFactory(phase=Phase.PROPOSALS_OPEN, counting_rule=Round.CountingRule.GREEDY)
    with pytest.raises(IntegrityError, match="fund and rules are fixed"), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(counting_rule=Round.CountingRule.EQUAL_SHARES)


@pytest.mark.parametrize(("field", "value"), [("min_votes", 5), ("cost_share_divisor", 3)])
def test_the_database_refuses_a_threshold_change_once_the_round_is_open(field, value):
    round_ = RoundFactory(phase=Phase.PROPOSALS_OPEN)
    with pytest.raises(IntegrityError, match="fund and rules are fixed"), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(**{field: value})


def test_the_database_refuses_the_threshold_rule_without_a_threshold():
    round_ = RoundFactory(phase=Phase.DRAFT)
    with (
        pytest.raises(IntegrityError, match="threshold_rule_needs_min_votes"),
        transaction.atomic(),
    ):
        Round.objects.filter(pk=round_.pk).update(counting_rule="greedy-threshold")
    Round.objects.filter(pk=round_.pk).update(counting_rule="greedy-threshold", min_votes=1)


def test_the_database_refuses_a_cost_share_divisor_of_0():
    # Found by a trial: the admin saved 0, which the count refuses.
    round_ = RoundFactory(phase=Phase.DRAFT)
    with (
        pytest.raises(IntegrityError, match="cost_share_divisor_at_least_1"),
        transaction.atomic(),
    ):
        Round.objects.filter(pk=round_.pk).update(cost_share_divisor=0)
    Round.objects.filter(pk=round_.pk).update(cost_share_divisor=1)


def test_the_database_refuses_phragmen_for_points_ballots():
    round_ = RoundFactory(phase=Phase.DRAFT, counting_rule=Round.CountingRule.PHRAGMEN)
    with (
        pytest.raises(IntegrityError, match="phragmen_needs_chosen_proposals"),
        transaction.atomic(),
    ):
        Round.objects.filter(pk=round_.pk).update(
            ballot_rule="cumulative", points_total=10, points_per_proposal_max=5
        )
    round_.refresh_from_db()
    assert round_.ballot_rule != "cumulative"


def test_the_database_refuses_more_points_on_one_proposal_than_in_all():
    round_ = RoundFactory(phase=Phase.DRAFT)
    with (
        pytest.raises(IntegrityError, match="points_max_within_total"),
        transaction.atomic(),
    ):
        Round.objects.filter(pk=round_.pk).update(
            ballot_rule="cumulative", points_total=10, points_per_proposal_max=11
        )
    Round.objects.filter(pk=round_.pk).update(
        ballot_rule="cumulative", points_total=10, points_per_proposal_max=10
    )


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("max_choices", 3, "max_choices_only_for_k_approval"),
        ("points_total", 10, "points_total_only_for_spread_points"),
        ("points_per_proposal_max", 5, "points_max_only_for_spread_points"),
    ],
)
def test_the_database_refuses_a_setting_the_ballot_rule_ignores(field, value, constraint):
    round_ = RoundFactory(phase=Phase.DRAFT, ballot_rule=Round.BallotRule.APPROVAL)
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(**{field: value})


@contextmanager
def _budgets_back_at(name):
    """Inside: the budgets app back at migration ``name`` (and the others with it), to
    make rows the later migrations will meet; after: every migration applied again."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("budgets", name)])
    try:
        yield
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_the_migration_brings_the_most_points_on_one_proposal_down_to_the_total():
    with _budgets_back_at("0014_round_past_phase_dates_guard"):
        published = RoundFactory(
            phase=Phase.PUBLISHED,
            ballot_rule="cumulative",
            points_total=10,
            points_per_proposal_max=15,
        )
        within = RoundFactory(
            phase=Phase.DRAFT, ballot_rule="cumulative", points_total=10, points_per_proposal_max=4
        )

    points = dict(Round.objects.values_list("pk", "points_per_proposal_max"))
    assert points == {published.pk: 10, within.pk: 4}


@pytest.mark.django_db(transaction=True)
def test_the_migration_clears_settings_the_ballot_rule_ignores():
    with _budgets_back_at("0015_round_points_max_within_total"):
        approval = RoundFactory(phase=Phase.PUBLISHED, ballot_rule="approval", max_choices=3)
        knapsack = RoundFactory(
            phase=Phase.DRAFT, ballot_rule="knapsack", points_total=10, points_per_proposal_max=5
        )
        k_approval = RoundFactory(phase=Phase.VOTING_OPEN, ballot_rule="k_approval", max_choices=3)
        points = RoundFactory(
            phase=Phase.DRAFT, ballot_rule="cumulative", points_total=10, points_per_proposal_max=5
        )

    settings = {
        pk: rest
        for pk, *rest in Round.objects.values_list(
            "pk", "max_choices", "points_total", "points_per_proposal_max"
        )
    }
    assert settings == {
        approval.pk: [None, None, None],
        knapsack.pk: [None, None, None],
        k_approval.pk: [3, None, None],
        points.pk: [None, 10, 5],
    }


def test_new_rounds_are_offered_only_the_current_rules_each_with_its_sentence():
    offered = {
        value: (name, sentence)
        for value, name, sentence in Round().counting_rule_choices_explained()
    }
    assert "mes-add1" not in offered
    name, sentence = offered["greedy-no-skip"]
    assert str(name) == "Most votes first, stopping at the first that does not fit"
    assert str(sentence).startswith("Proposals in order of votes")
    earlier = RoundFactory.build(counting_rule="mes-add1")
    assert "mes-add1" in [value for value, *_ in earlier.counting_rule_choices_explained()]


def test_no_rules_sentence_repeats_its_name_or_uses_jargon():
    for _value, name, sentence in RoundFactory.build(
        counting_rule="mes-add1-greedy"
    ).counting_rule_choices_explained():
        assert not str(sentence).startswith(str(name))
        for jargon in ("Add1", "equalshares.net", "a penny at a time", "pabutools"):
            assert jargon not in str(sentence)
        # Words two new users stumbled on in the names officers choose from.
        for jargon in ("pabutools", "misfit", "completion"):
            assert jargon not in str(name)


def test_the_threshold_rules_sentence_says_what_it_does_and_when_to_choose_it():
    # Found by a trial: "Choose this rather than “Most votes first” with a minimum … both
    # count the same way" left an officer unsure what the difference was.
    from budgets.models import COUNTING_RULE_SENTENCES

    sentence = str(COUNTING_RULE_SENTENCES["greedy-threshold"])
    assert sentence.startswith("Like “Most votes first”, but only proposals with at least")
    assert "Choose it when you have told residents" in sentence
    assert "rather than" not in sentence and "the same way" not in sentence


def test_the_database_refuses_to_publish_a_round_not_counted():
    round_ = RoundFactory(phase=Phase.VOTING_CLOSED)
    with pytest.raises(IntegrityError, match="Only a counted round"), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(phase=Phase.PUBLISHED)


def test_the_database_keeps_a_published_round_published():
    round_ = RoundFactory(phase=Phase.PUBLISHED)
    with pytest.raises(IntegrityError, match="stays published"), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(phase=Phase.COUNTED)


def test_the_database_refuses_to_delete_an_open_round():
    round_ = RoundFactory(phase=Phase.PROPOSALS_OPEN)
    with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic():
        Round.objects.filter(pk=round_.pk).delete()


def test_the_admin_offers_each_counting_rule_with_its_sentence(officer_client, council):
    round_ = RoundFactory(fund__council=council, phase=Phase.DRAFT)
    response = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    html = response.content.decode()
    assert 'type="radio" name="counting_rule"' in html
    assert 'value="equalshares/add1-comparison"' in html
    assert "Wieliczka counted this way." in html
    assert "as Gdynia and Wrocław do" in html
    assert 'value="mes-add1"' not in html
