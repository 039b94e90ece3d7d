"""Reading and writing .pb files, and the one-line errors for malformed ones."""

import io
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command

from voting.counting import (
    Ballot,
    Election,
    PbFormatError,
    Project,
    count,
    parse_pb,
    read_pb,
    write_pb,
)
from voting.counting.pb_format import parse_number

GOOD = """META
key;value
description;A test
num_projects;3
num_votes;3
budget;10.5
vote_type;approval
PROJECTS
project_id;cost;name;category
1;4.25;Benches;public space
2;6;Trees;environment
10;3;Bins;None
VOTES
voter_id;vote;age
v1;1,2;30
v2;10;41
v3;;22
"""


def test_identical_votes_share_one_tuple_and_still_count_apart():
    text = GOOD.replace("num_votes;3", "num_votes;4").replace("v3;;22", "v3;1,2;22\nv4;2,1;50")
    election = parse_pb(text)
    first, _, third, fourth = election.ballots
    assert first.projects is third.projects  # one tuple for both: less to hash and hold
    assert fourth.projects == ("2", "1")  # the same set written in another order stays so
    assert [b.voter_id for b in election.ballots] == ["v1", "v2", "v3", "v4"]
    outcome = count(election, "greedy")
    assert {r.project_id: r.votes for r in outcome.results} == {"1": 3, "2": 3, "10": 1}


def bad(text, line, message):
    with pytest.raises(PbFormatError) as info:
        parse_pb(text)
    assert info.value.line == line
    assert str(info.value) == f"line {line}: {message}"


def test_it_reads_a_good_file():
    election = parse_pb(GOOD)
    assert election.vote_type == "approval"
    assert election.budget == Fraction(21, 2)
    assert [p.id for p in election.projects] == ["1", "2", "10"]
    assert election.projects[0].cost == Fraction(17, 4)
    assert election.projects[1].cost == 6
    assert election.projects[0].name == "Benches"
    assert election.projects[0].extra == {"category": "public space"}
    assert [b.projects for b in election.ballots] == [("1", "2"), ("10",), ()]
    assert election.num_ballots == 3


def test_it_reads_bytes_with_a_byte_order_mark():
    election = parse_pb("\ufeff".encode() + GOOD.encode())
    assert election.num_ballots == 3


def test_it_reads_cumulative_points_and_decimal_commas():
    text = (
        GOOD.replace("vote_type;approval", "vote_type;cumulative")
        .replace(
            "voter_id;vote;age\nv1;1,2;30\nv2;10;41\nv3;;22",
            "voter_id;vote;points\nv1;1,2;2,1\nv2;10;3\nv3;;",
        )
        .replace("budget;10.5", "budget;10,5")
    )
    election = parse_pb(text)
    assert election.budget == Fraction(21, 2)
    assert election.ballots[0].points == (2, 1)


def test_writing_and_reading_back_gives_the_same_election():
    election = parse_pb(GOOD)
    again = parse_pb(write_pb(election))
    assert again.projects == election.projects
    assert [p.extra for p in again.projects] == [p.extra for p in election.projects]
    assert [(b.projects, b.voter_id) for b in again.ballots] == [
        (b.projects, b.voter_id) for b in election.ballots
    ]
    assert again.budget == election.budget
    assert again.meta["description"] == "A test"


def test_writing_expands_multiplicities_and_numbers_voters():
    election = Election(
        "cumulative",
        Fraction("2458488.22"),
        [Project("a;b", Fraction("0.5"), name='Say "hi"; twice')],
        [Ballot(("a;b",), (Fraction(3, 2),), multiplicity=2)],
    )
    text = write_pb(election)
    again = parse_pb(text)
    assert again.budget == Fraction("2458488.22")
    assert again.projects[0] == Project("a;b", Fraction(1, 2), 'Say "hi"; twice')
    assert [(b.voter_id, b.points) for b in again.ballots] == [
        ("1", (Fraction(3, 2),)),
        ("2", (Fraction(3, 2),)),
    ]


def test_the_bundled_reference_files_survive_a_round_trip():
    paths = sorted((Path(__file__).resolve().parent / "pabulib").glob("*.pb"))
    assert len(paths) >= 5
    for path in paths:
        election = read_pb(path)
        assert election.ballots, path.name
        again = parse_pb(write_pb(election))
        assert again.projects == election.projects, path.name
        assert [(b.projects, b.points) for b in again.ballots] == [
            (b.projects, b.points) for b in election.ballots
        ], path.name


def test_every_reference_file_survives_a_round_trip(pabulib):
    for path in [
        *sorted(pabulib.glob("*Zurich*.pb")),
        pabulib / "Poland_Krakow_2023_Stare_Miasto.pb",
    ]:
        election = read_pb(path)
        again = parse_pb(write_pb(election))
        assert again.projects == election.projects, path.name
        assert [(b.projects, b.points) for b in again.ballots] == [
            (b.projects, b.points) for b in election.ballots
        ], path.name


def test_parse_number_is_exact():
    assert parse_number("2458488.22", "cost", 1) == Fraction(245848822, 100)
    assert parse_number("7", "cost", 1) == 7
    assert parse_number("4000.0", "cost", 1) == 4000


def test_a_missing_votes_section_names_the_last_line():
    text = GOOD[: GOOD.index("VOTES")]
    bad(text, text.count("\n") + 1, "the file has no VOTES section")


def test_a_missing_meta_section_is_reported_where_the_file_starts():
    bad(GOOD[GOOD.index("PROJECTS") :], 1, "expected section META before PROJECTS")


def test_sections_out_of_order_are_refused():
    text = "META\nkey;value\nbudget;1\nvote_type;approval\nVOTES\nvoter_id;vote\n"
    bad(text, 5, "expected section PROJECTS before VOTES")


def test_an_unknown_project_id_in_a_vote_names_the_vote():
    bad(GOOD.replace("v2;10;41", "v2;17;41"), 16, "unknown project id '17' in vote 'v2'")


def test_a_negative_cost_is_refused():
    bad(GOOD.replace("2;6;Trees", "2;-6;Trees"), 11, "cost of project '2' '-6' is negative")


def test_a_cost_that_is_not_a_number_is_refused():
    bad(GOOD.replace("2;6;Trees", "2;6k;Trees"), 11, "cost of project '2' '6k' is not a number")


def test_a_budget_that_is_not_a_number_is_refused():
    bad(GOOD.replace("budget;10.5", "budget;lots"), 6, "budget 'lots' is not a number")


def test_a_missing_budget_is_refused():
    bad(GOOD.replace("budget;10.5\n", ""), 7, "META has no 'budget'")


def test_an_unknown_vote_type_is_refused():
    bad(
        GOOD.replace("vote_type;approval", "vote_type;borda"),
        7,
        "unknown vote_type 'borda'; expected one of approval, choose-1, cumulative, scoring,"
        " ordinal",
    )


def test_bad_points_are_refused():
    text = GOOD.replace("vote_type;approval", "vote_type;cumulative").replace(
        "voter_id;vote;age\nv1;1,2;30", "voter_id;vote;points\nv1;1,2;2,x"
    )
    bad(text, 15, "points in vote 'v1' 'x' is not a number")


def test_points_must_match_the_projects():
    text = GOOD.replace("vote_type;approval", "vote_type;cumulative").replace(
        "voter_id;vote;age\nv1;1,2;30", "voter_id;vote;points\nv1;1,2;2"
    )
    bad(text, 15, "vote 'v1' has 2 projects but 1 points")


def test_a_row_with_too_many_fields_is_refused():
    bad(GOOD.replace("v1;1,2;30", "v1;1,2;30;extra"), 15, "4 fields but the VOTES header has 3")


def test_a_repeated_voter_is_refused():
    bad(GOOD.replace("v2;10;41", "v1;10;41"), 16, "voter_id 'v1' appears twice")


def test_a_repeated_project_is_refused():
    bad(GOOD.replace("10;3;Bins", "2;3;Bins"), 12, "project_id '2' appears twice")


def test_a_wrong_vote_count_is_refused():
    bad(
        GOOD.replace("num_votes;3", "num_votes;4"),
        5,
        "META says num_votes is '4' but the file has 3",
    )


def test_text_that_is_not_utf8_names_the_line():
    data = GOOD.replace("Trees", "Tr\u00e9es").encode("latin-1")
    bad(
        data,
        11,
        "not UTF-8 text (byte 0xe9 at column 7); save the file as UTF-8",
    )


def test_a_file_that_cannot_be_read_is_reported(tmp_path):
    with pytest.raises(PbFormatError, match="cannot read"):
        read_pb(tmp_path / "missing.pb")


def run_cli(*args):
    # The repository root, so that ``voting.counting`` is importable.
    root = Path(__file__).resolve().parents[3]
    return subprocess.run(
        [sys.executable, "-m", "voting.counting", *args],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )


def test_the_command_line_prints_one_json_object(tmp_path):
    path = tmp_path / "good.pb"
    path.write_text(GOOD, encoding="utf-8")
    result = run_cli(str(path), "--rule", "greedy")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"rule", "selected", "total_cost", "count_seconds", "parse_seconds"}
    assert data["rule"] == "greedy"
    # All tie on one vote: "1" < "10" < "2" as text, and "2" no longer fits.
    assert data["selected"] == ["1", "10"]
    assert data["total_cost"] == "7.25"


def test_the_command_line_gives_a_one_line_error_and_status_2(tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text(GOOD.replace("v2;10;41", "v2;17;41"), encoding="utf-8")
    result = run_cli(str(path), "--rule", "mes")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {path}: line 16: unknown project id '17' in vote 'v2'\n"
    assert "Traceback" not in result.stderr


def test_the_command_line_refuses_a_rule_the_ballots_do_not_support(tmp_path):
    path = tmp_path / "ranked.pb"
    path.write_text(GOOD.replace("vote_type;approval", "vote_type;ordinal"), encoding="utf-8")
    result = run_cli(str(path), "--rule", "phragmen")
    assert result.returncode == 2
    assert "phragmen is only defined for approval ballots" in result.stderr
    assert result.stderr.count("\n") == 1


def test_anonymising_shuffles_ballots_and_drops_voter_ids():
    import random

    from voting.counting import anonymise

    election = parse_pb(GOOD)
    election.ballots.append(Ballot(("2",), multiplicity=2, voter_id=None))
    published = parse_pb(write_pb(anonymise(election, random.Random(4))))
    assert [b.voter_id for b in published.ballots] == ["1", "2", "3", "4", "5"]
    assert sorted(b.projects for b in published.ballots) == sorted(
        [("1", "2"), ("10",), (), ("2",), ("2",)]
    )


# Real published files: read as pabutools reads them, every change reported.

TWICE = GOOD.replace("v1;1,2;30", "v1;1,2,1;30")


def test_a_project_listed_twice_in_an_approval_vote_counts_once():
    election = parse_pb(TWICE)
    assert election.ballots[0].projects == ("1", "2")
    assert election.normalised == [
        "line 15: vote 'v1' lists project '1' more than once; counted once"
    ]
    assert count(election, "greedy").result("1").votes == 1


def test_pabutools_reads_a_repeated_project_the_same_way():
    pabulib = pytest.importorskip("pabutools.election.pabulib", exc_type=ImportError)
    _instance, profile = pabulib.parse_pabulib_from_string(TWICE)
    assert sorted(p.name for p in profile[0]) == ["1", "2"]


def test_a_project_listed_twice_with_points_is_still_an_error():
    text = (
        GOOD.replace("vote_type;approval", "vote_type;cumulative")
        .replace("voter_id;vote;age", "voter_id;vote;points;age")
        .replace("v1;1,2;30", "v1;1,1;2,3;30")
        .replace("v2;10;41", "v2;10;1;41")
        .replace("v3;;22", "v3;;;22")
    )
    bad(text, 15, "vote 'v1' lists a project twice")


def test_the_old_target_column_is_read_as_beneficiaries():
    text = GOOD.replace("project_id;cost;name;category", "project_id;cost;name;target").replace(
        "1;4.25;Benches;public space", "1;4.25;Benches;seniors"
    )
    election = parse_pb(text)
    assert election.projects[0].extra == {"beneficiaries": "seniors"}
    assert election.normalised == [
        "line 9: PROJECTS column 'target' read as 'beneficiaries', its name since "
        "pabulib's 2026 format"
    ]
    assert "project_id;cost;name;beneficiaries" in write_pb(election)


def test_the_command_line_reports_what_it_normalised(tmp_path):
    path = tmp_path / "twice.pb"
    path.write_text(TWICE, encoding="utf-8")
    result = run_cli(str(path), "--rule", "greedy")
    assert result.returncode == 0
    note = "line 15: vote 'v1' lists project '1' more than once; counted once"
    assert result.stderr == f"note: {path}: {note}\n"
    assert json.loads(result.stdout)["normalised"] == [note]


def test_a_decimal_comma_is_read_as_a_point_and_said_with_what_was_read(tmp_path):
    # pabutools reads "4,25" as 4.25; so does the reader, but never silently: "1,000"
    # is then 1, which the note shows.
    text = GOOD.replace("budget;10.5", "budget;10,5").replace("1;4.25;", "1;1,000;")
    election = parse_pb(text)
    assert election.budget == Fraction(21, 2)
    assert election.projects[0].cost == 1
    notes = [
        "line 6: budget '10,5' has a decimal comma; read as 10.5",
        "line 10: cost of project '1' '1,000' has a decimal comma; read as 1.000",
    ]
    assert election.normalised == notes
    path = tmp_path / "comma.pb"
    path.write_text(text, encoding="utf-8")
    result = run_cli(str(path), "--rule", "greedy")
    assert result.returncode == 0
    assert result.stderr == "".join(f"note: {path}: {note}\n" for note in notes)
    assert json.loads(result.stdout)["normalised"] == notes


def test_the_command_line_counts_by_the_files_own_rule_and_threshold(tmp_path):
    text = GOOD.replace("vote_type;approval", "vote_type;approval\nrule;greedy-threshold").replace(
        "budget;10.5", "budget;10.5\nmin_project_score_threshold;2"
    )
    path = tmp_path / "threshold.pb"
    path.write_text(text, encoding="utf-8")
    result = run_cli(str(path), "--rule", "from-file")
    assert result.returncode == 0, result.stderr
    # Every project has one vote, fewer than 2: nothing can be funded.
    assert json.loads(result.stdout)["selected"] == []
    unknown = path.with_name("unknown.pb")
    unknown.write_text(GOOD.replace("vote_type;approval", "vote_type;approval\nrule;unknown"))
    result = run_cli(str(unknown), "--rule", "from-file")
    assert result.returncode == 2
    assert "META rule is 'unknown'" in result.stderr


def test_the_manage_py_command_takes_check_as_the_command_line_does(tmp_path):
    """One path for both: ``count_pb --check`` prints the plain words too, not JSON."""
    path = tmp_path / "good.pb"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()

    call_command("count_pb", str(path), "--rule", "greedy", "--check", stdout=out)

    assert out.getvalue() == run_cli(str(path), "--rule", "greedy", "--check").stdout
    assert out.getvalue().startswith("Ballots counted: ")


# Malformed files: the error names the line at fault and says what is wrong there.


def test_an_empty_line_between_votes_is_named():
    bad(
        GOOD.replace("v2;10;41\n", "v2;10;41\n\n"),
        17,
        "empty line in VOTES; every vote needs its line",
    )


def test_empty_lines_at_the_end_of_the_file_are_still_read():
    assert parse_pb(GOOD + "\n\n").num_ballots == 3
    assert parse_pb(GOOD.replace("\n", "\r\n") + "\r\n").num_ballots == 3


def test_pabutools_skips_the_empty_line_the_reader_refuses():
    pabulib = pytest.importorskip("pabutools.election.pabulib", exc_type=ImportError)
    _instance, profile = pabulib.parse_pabulib_from_string(
        GOOD.replace("v2;10;41\n", "\nv2;10;41\n")
    )
    assert len(profile) == 3  # so a deleted vote would go unnoticed but for num_votes


def test_a_misspelt_section_name_is_named_with_the_real_ones():
    bad(
        GOOD.replace("PROJECTS", "PROJECT"),
        8,
        "'PROJECT' looks like a section name but is not one; the sections are META, "
        "PROJECTS, VOTES",
    )


def test_an_unclosed_quote_names_the_line_it_opens_on():
    text = GOOD.replace("2;6;Trees;environment", '2;6;"Trees;environment')
    bad(
        text,
        11,
        'a quote (") opens a field on this line and is never closed; remove the quote or close it',
    )


def test_a_quote_closed_lines_later_names_both_lines():
    text = GOOD.replace("2;6;Trees;environment", '2;6;"Trees;environment').replace(
        "10;3;Bins;None", '10;3";Bins;None'
    )
    bad(
        text,
        11,
        'a quote (") opens a field on this line and is closed only on line 12; remove the '
        "quote or close it",
    )


def test_a_carriage_return_inside_a_line_is_named_plainly():
    text = GOOD.replace("\n", "\r\n").replace("v2;10;41", "v2;10\r;41")
    bad(
        text,
        16,
        "a carriage return (CR) character in the middle of the line; remove it, or save "
        "the file again with ordinary line endings",
    )


def test_a_selected_value_other_than_pabulibs_is_refused():
    text = GOOD.replace("project_id;cost;name;category", "project_id;cost;name;selected")
    text = text.replace("public space", "yes").replace("environment", "0").replace("None", "1")
    bad(
        text,
        10,
        "project '1' has selected 'yes'; pabulib allows 0, 1, 2 or 3 (1 means selected, "
        "0 not selected)",
    )


def test_spaces_around_project_ids_in_a_vote_are_reported():
    election = parse_pb(GOOD.replace("v1;1,2;30", "v1; 1 ,2 ;30"))
    assert election.ballots[0].projects == ("1", "2")
    assert election.normalised == [
        "line 15: vote 'v1' has spaces around its project ids; read without them"
    ]


def test_an_empty_vote_is_read_as_choosing_nothing_without_a_note():
    election = parse_pb(GOOD)
    assert election.ballots[2].projects == ()
    assert election.normalised == []


def test_the_json_names_the_rule_the_files_meta_chose(tmp_path):
    path = tmp_path / "own-rule.pb"
    path.write_text(GOOD.replace("vote_type;approval", "vote_type;approval\nrule;equalshares"))
    result = run_cli(str(path), "--rule", "from-file")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rule"] == "equalshares"


def test_output_piped_into_a_reader_that_stops_early_ends_quietly(tmp_path):
    path = tmp_path / "good.pb"
    path.write_text(GOOD, encoding="utf-8")
    root = Path(__file__).resolve().parents[3]
    command = [sys.executable, "-m", "voting.counting", str(path), "--rule", "greedy"]
    with subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:
        child.stdout.close()  # as ``head`` does once it has its lines, here before any
        stderr = child.stderr.read()
    assert "BrokenPipeError" not in stderr
    assert stderr == ""
    assert child.returncode == 0


def test_the_help_gives_each_rule_its_own_line_in_plain_words(monkeypatch):
    from voting.counting.cli import build_parser
    from voting.counting.rules import RULES_BY_NAME

    monkeypatch.setenv("COLUMNS", "80")
    text = build_parser().format_help()
    lines = text.splitlines()
    for rule in RULES_BY_NAME.values():
        assert rule.summary
        first_words = " ".join(rule.summary.split()[:3])
        assert any(line.startswith(f"  {rule.name} ") and first_words in line for line in lines)
    assert not [line for line in lines if line.rstrip().endswith("-")]  # no name split
    flat = " ".join(text.split())
    assert "'id-desc', the largest" in flat
    assert "README.md" in flat
