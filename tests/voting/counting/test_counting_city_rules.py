"""The rules as cities ran them, on elections small enough to count by hand.

Greedy without skipping (Gdynia, Wrocław), with a vote threshold (Warsaw, Łódź), Equal
Shares with pabulib's Add1 and the comparison step (Wieliczka, Świecie, Assen), the
Świecie cost-share threshold, and the rule that nobody funds a proposal without votes.
"""

from fractions import Fraction

import pytest

from voting.counting import (
    ALIASES,
    RULES,
    Ballot,
    Election,
    Eligibility,
    Project,
    UnsupportedRule,
    count,
    pabulib_rule,
)


def approval(budget, costs, votes):
    return Election(
        "approval",
        budget,
        [Project(pid, cost) for pid, cost in costs.items()],
        [Ballot(tuple(v)) for v in votes],
    )


# a (6) has 3 votes, b (5) 2 votes, c (4) 1 vote; 10 to spend.
LADDER = approval(10, {"a": 6, "b": 5, "c": 4}, [["a", "b"], ["a", "b"], ["a", "c"]])


def test_greedy_skips_what_does_not_fit_and_goes_on():
    assert count(LADDER, "greedy").selected == ("a", "c")


def test_greedy_no_skip_stops_at_the_first_that_does_not_fit():
    outcome = count(LADDER, "greedy-no-skip")
    assert outcome.selected == ("a",)
    b, c = outcome.result("b"), outcome.result("c")
    assert b.reason == "stopped_here"
    assert "(4)" in b.reason_text and "stopped here" in b.reason_text
    assert c.reason == "after_stop"
    assert "(b)" in c.reason_text


def test_greedy_threshold_funds_only_proposals_with_enough_votes():
    outcome = count(LADDER, "greedy-threshold", eligibility=Eligibility(min_votes=2))
    assert outcome.selected == ("a",)
    assert outcome.result("c").reason == "below_threshold"
    assert outcome.result("b").reason == "no_money_left"
    assert outcome.details["min_votes"] == 2


def test_greedy_threshold_needs_a_threshold():
    with pytest.raises(UnsupportedRule, match="needs a vote threshold"):
        count(LADDER, "greedy-threshold")


def test_a_vote_threshold_applies_to_any_rule():
    outcome = count(LADDER, "equalshares/add1-greedy", eligibility=Eligibility(min_votes=3))
    assert outcome.selected == ("a",)
    assert outcome.result("b").reason == "below_threshold"


def test_the_swiecie_cost_share_threshold():
    # 9 voters, budget 10: "big" (9) needs votes / 9 >= 9 / (3 x 10), so 2.7: 3 votes.
    strict = Eligibility(cost_share_divisor=3)
    two = approval(10, {"big": 9, "small": 1}, [["big"]] * 2 + [["small"]] * 7)
    outcome = count(two, "greedy", eligibility=strict)
    assert outcome.result("big").reason == "below_cost_share"
    assert outcome.selected == ("small",)
    assert count(two, "greedy").selected == ("big", "small")
    three = approval(10, {"big": 9, "small": 1}, [["big"]] * 3 + [["small"]] * 6)
    assert count(three, "greedy", eligibility=strict).selected == ("big", "small")


# Voters 1-3 like x (6) and y (4); voter 4 likes z (4); 10 to spend among 4 voters.
# Equal Shares: x costs its three voters 2 each. With 3 each (the first whole pound above
# 10 / 4), y and z stay out of reach; with 4 each all three are bought, 14 > 10, so Add1
# keeps {x}. Most votes would fund x and y, which voters 1-3 prefer and nobody likes less.
SPLIT = approval(10, {"x": 6, "y": 4, "z": 4}, [["x", "y"]] * 3 + [["z"]])


def test_add1_keeps_the_last_outcome_that_fits():
    outcome = count(SPLIT, "equalshares/add1")
    assert outcome.selected == ("x",)
    assert outcome.details["budget_per_voter"] == 3


def test_the_comparison_step_takes_greedy_when_more_voters_prefer_it():
    outcome = count(SPLIT, "equalshares/add1-comparison")
    assert outcome.selected == ("x", "y")
    assert outcome.details["comparison"] == {
        "prefer_equal_shares": 0,
        "prefer_greedy": 3,
        "kept": "greedy",
    }
    assert outcome.result("y").reason == "comparison_greedy_funded"


def test_the_comparison_step_keeps_equal_shares_on_a_tie():
    # 3 each. Equal Shares: x, y and z all cost their voters half a pound per pound; x wins
    # the tie on id and takes voters 1-2's money, so y is out of reach; voters 3-4 buy z.
    # Most votes: x then y (9), and z no longer fits. Two voters prefer each outcome.
    election = approval(12, {"x": 6, "y": 3, "z": 6}, [["x", "y"]] * 2 + [["z"]] * 2)
    assert count(election, "greedy").selected == ("x", "y")
    outcome = count(election, "equalshares-comparison")
    assert outcome.details["comparison"] == {
        "prefer_equal_shares": 2,
        "prefer_greedy": 2,
        "kept": "equal_shares",
    }
    assert outcome.selected == ("x", "z")


def test_the_top_up_spends_what_add1_leaves_by_votes():
    outcome = count(SPLIT, "equalshares/add1-greedy")
    assert outcome.selected == ("x", "y")
    assert outcome.result("y").reason == "topup_funded"
    assert outcome.result("z").reason == "share_spent_no_room"


def test_old_rule_names_still_count_as_they_did():
    assert ALIASES == {"mes": "equalshares"}
    assert count(SPLIT, "mes").rule == "equalshares"
    assert count(SPLIT, "mes").selected == count(SPLIT, "equalshares").selected
    # pabutools' Add1 steps from 10 / 4 = 2.5 each, not from whole pounds: at 3.5 each,
    # x leaves voters 1-3 with 1.5 each, enough for y, and x + y fit exactly.
    assert count(SPLIT, "mes-add1").selected == ("x", "y")
    assert count(SPLIT, "mes-add1").details["budget_per_voter"] == Fraction(7, 2)


@pytest.mark.parametrize("rule", RULES)
def test_without_ballots_no_rule_funds_anything(rule):
    election = approval(10, {"a": 2, "b": 3}, [])
    outcome = count(election, rule, eligibility=Eligibility(min_votes=1))
    assert outcome.selected == ()
    assert {r.reason for r in outcome.results} == {"no_votes"}


@pytest.mark.parametrize("rule", RULES)
def test_with_ballots_but_no_votes_for_a_proposal_no_rule_funds_it(rule):
    # Blank ballots count as voters (for Equal Shares' shares) but vote for nothing.
    election = approval(10, {"a": 2, "b": 3}, [["a"], [], []])
    outcome = count(election, rule, eligibility=Eligibility(min_votes=1))
    assert "b" not in outcome.selected
    assert outcome.result("b").reason == "no_votes"


def test_published_rule_names_are_pabulibs_where_pabulib_defines_them():
    plain = Eligibility()
    assert pabulib_rule("equalshares/add1-comparison", plain) == "equalshares/add1-comparison"
    assert pabulib_rule("mes", plain) == "equalshares"
    assert pabulib_rule("greedy", Eligibility(min_votes=5)) == "greedy-threshold"
    # Thresholds pabulib's definition of the rule lacks, and the platform's own rules.
    assert pabulib_rule("equalshares/add1", Eligibility(min_votes=5)) == "unknown"
    assert pabulib_rule("greedy", Eligibility(cost_share_divisor=3)) == "unknown"
    assert pabulib_rule("equalshares/add1-greedy", plain) == "unknown"
    assert pabulib_rule("phragmen", plain) == "unknown"


def test_a_threshold_must_be_a_count():
    with pytest.raises(UnsupportedRule):
        Eligibility(min_votes=-1)
    with pytest.raises(UnsupportedRule):
        Eligibility(cost_share_divisor=0)


def test_the_plain_words_printout_gives_the_comparison_steps_tallies():
    from voting.counting.cli import check_text

    text = check_text(SPLIT, count(SPLIT, "equalshares/add1-comparison"))

    assert "voters who preferred the Equal Shares outcome: 0\n" in text
    assert "voters who preferred the outcome by most votes: 3\n" in text
    assert "outcome kept: most votes\n" in text
    assert "Compared with most votes" not in check_text(SPLIT, count(SPLIT, "equalshares/add1"))


def recorded(election, selected, rule=""):
    """The election as a file recording its own selection (pabulib's ``selected``)."""
    projects = [
        Project(p.id, p.cost, extra={"selected": "1" if p.id in selected else "0"})
        for p in election.projects
    ]
    meta = {"rule": rule} if rule else {}
    return Election(election.vote_type, election.budget, projects, election.ballots, meta)


def test_the_plain_words_printout_says_whether_the_files_own_selection_agrees():
    from voting.counting.cli import check_text

    same = recorded(LADDER, {"a", "c"}, rule="greedy")
    assert "Selected in the file too: the same 2 proposals." in check_text(
        same, count(same, "greedy")
    )

    other = recorded(LADDER, {"b", "c"}, rule="unknown")
    text = check_text(other, count(other, "greedy"))
    assert "Selected in the file: NOT the same as this count." in text
    assert "  selected in the file, not funded here (1): b\n" in text
    assert "  funded here, not selected in the file (1): a\n" in text
    assert "The file does not name the rule it was counted by; this count used greedy." in text

    # A file without the column: nothing to compare, and the printout says so.
    text = check_text(LADDER, count(LADDER, "greedy"))
    assert "Selected in the file: nothing to compare with" in text
    assert "Selected in the file too" not in text


def test_the_command_line_asks_for_min_votes_where_the_rule_needs_it(tmp_path, capsys):
    from voting.counting.cli import main
    from voting.counting.pb_format.writer import write_pb

    path = tmp_path / "ladder.pb"
    path.write_text(write_pb(LADDER))

    # The engine refuses too; the command line's own message names the option to give,
    # and says what it takes where one was given but is not enough.
    for given in ([], ["--min-votes", "0"]):
        assert main([str(path), "--rule", "greedy-threshold", "--check", *given]) == 2
        err = capsys.readouterr().err
        assert "needs a vote threshold of 1 vote or more: give one with --min-votes N" in err


def test_a_long_add1_count_without_numba_says_so_first_and_how_to_be_quicker(
    tmp_path, monkeypatch, capsys
):
    from voting.counting import cli
    from voting.counting.equalshares import completion
    from voting.counting.pb_format.writer import write_pb

    path = tmp_path / "ladder.pb"
    path.write_text(write_pb(LADDER))
    monkeypatch.setattr(cli, "LONG_WITHOUT_NUMBA", 2)  # LADDER has 3 ballots
    heard = []

    monkeypatch.setattr(completion, "numba_installed", lambda: False)
    cli.read_and_count(str(path), "equalshares/add1", say=heard.append)
    cli.read_and_count(str(path), "greedy", say=heard.append)  # not Add1: nothing to say
    assert len(heard) == 1
    assert "python -m pip install numba" in heard[0] and "the result is the same" in heard[0]

    monkeypatch.setattr(completion, "numba_installed", lambda: True)
    cli.read_and_count(str(path), "equalshares/add1", say=heard.append)
    assert len(heard) == 1
