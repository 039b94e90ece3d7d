"""``--check`` compares the count with what the published file itself records: each
proposal's votes, and the fingerprint of the ballots in its description. A file whose
ballots were changed after it was written says so, in plain words."""

from voting.counting import Ballot, Election, Eligibility, Project, count
from voting.counting.cli import check_text
from voting.counting.fingerprint import RECORDED, canonical_sha256

VOTES = [("a", "b"), ("a", "b"), ("a", "c")]


def published(votes=VOTES, recorded_votes=None, comment=None) -> Election:
    """A small approval election as a published file: each ballot with its receipt, the
    votes column as ``recorded_votes`` says, and META ``comment`` if given."""
    recorded_votes = recorded_votes or {"a": "3", "b": "2", "c": "1"}
    projects = [
        Project(pid, cost, extra={"votes": recorded_votes[pid]})
        for pid, cost in {"a": 6, "b": 5, "c": 4}.items()
    ]
    ballots = [Ballot(v, voter_id=f"R{i}") for i, v in enumerate(votes)]
    meta = {"comment": comment} if comment is not None else {}
    return Election("approval", 10, projects, ballots, meta)


def checked(election: Election) -> str:
    return check_text(election, count(election, "greedy"))


def test_votes_the_file_records_and_its_ballots_give_are_compared():
    assert "Votes in the file too: the same for all 3 proposals." in checked(published())

    text = checked(published(recorded_votes={"a": "3", "b": "3", "c": "1"}))

    assert "Votes in the file: NOT the same as its ballots give" in text
    assert "  b: the file says 3, the ballots give 2\n" in text
    assert "  a: the file says" not in text


def test_a_file_without_a_votes_column_has_nothing_to_compare():
    plain = published()
    for p in plain.projects:
        p.extra.clear()

    assert "Votes in the file" not in checked(plain)


def test_the_fingerprint_the_file_records_is_compared_with_its_ballots():
    intact = published()
    comment = "Counted by us; " + RECORDED.format(canonical_sha256(intact)) + ". More."
    text = checked(published(comment=comment))
    assert "  The file's META comment records the same fingerprint.\n" in text
    assert "NOT the fingerprint" not in text
    assert "edited" not in text

    # One ballot changed after the file was written: its votes column and its
    # description both disagree with the ballots now.
    changed = published(votes=[("a", "b"), ("a",), ("a", "c")], comment=comment)
    text = checked(changed)
    recorded = canonical_sha256(intact)
    assert f"  NOT the fingerprint the file's META comment records: {recorded}\n" in text
    assert "These are not the ballots the file was published with: something the count " in text
    assert "  b: the file says 2, the ballots give 1\n" in text


def test_only_a_file_from_the_platform_is_compared_with_a_results_page():
    compare = "  To finish the check, compare it with the fingerprint on the results page"
    text = checked(published())  # a pabulib file: no recorded fingerprint, no results page

    assert "META comment records" not in text
    assert compare not in text
    assert text.splitlines()[-1].startswith("Fingerprint of the ballots: ")

    comment = RECORDED.format(canonical_sha256(published()))
    assert checked(published(comment=comment)).splitlines()[-1].startswith(compare)


def test_a_platform_file_the_reader_had_to_change_is_said_to_be_an_edited_copy():
    # The same ballots once read (a project listed twice counts once), so the same
    # fingerprint: but the platform never writes such a file, so this copy was edited.
    comment = RECORDED.format(canonical_sha256(published()))
    election = published(comment=comment)
    election.normalised.append("line 15: vote 'R0' lists project 'a' more than once")
    text = checked(election)

    assert "  The file's META comment records the same fingerprint.\n" in text
    assert (
        "  It is worked out after the changes noted above, which the platform's own files "
        "never need: this copy of the file was edited after it was published.\n" in text
    )


def test_a_file_without_a_selected_column_says_it_has_no_official_selection():
    assert (
        "Selected in the file: nothing to compare with, as the file has no official "
        "selection (no PROJECTS column 'selected').\n" in checked(published())
    )


def test_the_thresholds_applied_are_named_under_the_rule():
    election = published()
    eligibility = Eligibility(min_votes=2, cost_share_divisor=3)
    text = check_text(election, count(election, "greedy", eligibility=eligibility))

    assert (
        "Rule: greedy\n"
        "  and only proposals with at least 2 votes could be funded\n"
        "  and only proposals whose share of voters was at least their share of the budget "
        "divided by 3 could be funded\n"
    ) in text


def test_a_count_without_thresholds_names_only_the_rule():
    assert "Rule: greedy\n\n" in checked(published())


def test_check_with_explain_says_why_each_proposal_won_or_lost():
    election = published()
    outcome = count(election, "greedy")
    text = check_text(election, outcome, explain=True)

    assert "Why each proposal won or lost:" not in checked(election)
    assert text.endswith(
        "Why each proposal won or lost:\n"
        + "\n".join(f"  {r.project_id}  {r.reason_text}" for r in outcome.results)
    )


def test_ballots_that_choose_nothing_are_counted_aloud():
    text = checked(published(votes=[("a", "b"), (), ("a", "c")]))

    assert text.startswith("Ballots counted: 3 (1 choosing no proposal)\n")
    assert checked(published()).startswith("Ballots counted: 3\n")
