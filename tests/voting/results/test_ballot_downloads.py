import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets.models import Round
from neighbourhoods.models import Neighbourhood
from tests.voting.results.factories import OnBallotProposalFactory, cast, every_envelope
from voting.counting import parse_pb
from voting.counting.fingerprint import recorded_fingerprint
from voting.models import Ballot, Participation
from voting.results.services import envelope_count, round_publish


def download(client, envelope, kind):
    name = "voting-results-pb" if kind == "pb" else "voting-results-csv"
    response = client.get(reverse(name, kwargs={"envelope_id": envelope.pk}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def many_ballots(closed_envelope):
    """Forty ballots: enough that a shuffle keeping any order is vanishingly unlikely."""
    extra = OnBallotProposalFactory(envelope=closed_envelope, cost_pence=1_000_00)
    proposals = [*closed_envelope.proposals_by_title.values(), extra]
    for i in range(35):
        cast(closed_envelope, *proposals[i % 4 : i % 4 + 1 + i % 2])
    envelope_count(envelope_id=closed_envelope.pk)
    round_publish(
        round_id=closed_envelope.round_id,
        few_ballots_accepted=every_envelope(closed_envelope.round_id),
    )
    return closed_envelope


def test_the_pb_file_recounts_to_the_published_result(client, published_envelope, tmp_path):
    path = tmp_path / "ballots.pb"
    path.write_text(download(client, published_envelope, "pb"))
    out = io.StringIO()

    call_command("count_pb", str(path), "--rule", "greedy", stdout=out)

    outcome = published_envelope.outcome
    funded = outcome.proposal_results.filter(funded=True).values_list("proposal_id", flat=True)
    result = json.loads(out.getvalue())
    assert sorted(result["selected"]) == sorted(str(pk) for pk in funded)
    assert result["total_cost"] == outcome.total_cost_pence


def test_the_pb_file_hashes_to_the_stored_fingerprint(client, published_envelope, tmp_path):
    path = tmp_path / "ballots.pb"
    path.write_text(download(client, published_envelope, "pb"))
    out = io.StringIO()

    call_command("ballots_sha256", str(path), stdout=out)

    assert out.getvalue().strip() == published_envelope.outcome.input_sha256
    # The file's META comment records it too, where the counting program's --check finds it.
    comment = parse_pb(path.read_text()).meta["comment"]
    assert recorded_fingerprint(comment) == published_envelope.outcome.input_sha256


def test_the_pb_file_describes_the_count(client, published_envelope):
    meta = parse_pb(download(client, published_envelope, "pb")).meta

    assert meta["country"] == "United Kingdom"
    assert meta["unit"] == "Riverton Council"
    assert meta["subunit"] == "Splott"
    assert meta["currency"] == "GBP"
    assert meta["rule"] == "greedy"
    assert meta["budget"] == "1000000"


def test_a_voter_finds_their_receipt_in_both_files(client, published_envelope):
    receipt = Ballot.objects.filter(envelope=published_envelope).first().receipt

    assert receipt in download(client, published_envelope, "pb")
    assert receipt in download(client, published_envelope, "csv")


def test_the_files_name_no_person_date_or_database_id(client, published_envelope, resident):
    ballots = list(Ballot.objects.filter(envelope=published_envelope))
    voters = [
        p.voter
        for p in Participation.objects.filter(envelope=published_envelope).select_related("voter")
    ]
    # The loops below must have something to check.
    assert len(ballots) == len(voters) == 5
    assert all(voter is not None for voter in voters)
    for kind in ("pb", "csv"):
        text = download(client, published_envelope, kind)
        for voter in voters:
            assert voter.email not in text
            assert voter.display_name not in text
        for ballot in ballots:
            assert ballot.ballot_key not in text
        assert re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}", text) is None


def test_the_votes_carry_only_receipts_as_voter_ids(client, published_envelope):
    election = parse_pb(download(client, published_envelope, "pb"))

    receipts = set(Ballot.objects.values_list("receipt", flat=True))
    assert {b.voter_id for b in election.ballots} == receipts


def test_the_order_is_neither_insertion_nor_receipt_order(client, many_ballots):
    rows = list(csv.DictReader(io.StringIO(download(client, many_ballots, "csv"))))
    in_file = [row["receipt"] for row in rows]

    inserted = list(Ballot.objects.order_by("pk").values_list("receipt", flat=True))
    assert len(in_file) == len(inserted) == 40
    assert in_file != inserted
    assert in_file != sorted(inserted)


def test_the_order_is_the_same_at_every_download(client, many_ballots):
    assert download(client, many_ballots, "csv") == download(client, many_ballots, "csv")


def test_the_csv_lists_receipts_and_chosen_proposals(client, published_envelope):
    rows = list(csv.DictReader(io.StringIO(download(client, published_envelope, "csv"))))

    assert list(rows[0]) == ["receipt", "proposal_ids", "proposals"]
    assert [row["proposals"] for row in rows].count("Street art") == 1
    assert "Park benches; Youth club" in [row["proposals"] for row in rows] or (
        "Youth club; Park benches" in [row["proposals"] for row in rows]
    )
    art = str(published_envelope.proposals_by_title["art"].pk)
    assert [row["proposal_ids"] for row in rows].count(art) == 1


def test_downloads_are_not_found_before_publication(client, closed_envelope):
    envelope_count(envelope_id=closed_envelope.pk)

    url = reverse("voting-results-pb", kwargs={"envelope_id": closed_envelope.pk})
    assert client.get(url).status_code == 404


def test_the_csv_offered_on_a_welsh_page_has_welsh_headings(client, published_envelope):
    page = client.get(f"/cy/envelopes/{published_envelope.pk}/results/").content.decode()
    url = f"/cy/envelopes/{published_envelope.pk}/results/ballots.csv"
    assert f'href="{url}"' in page
    assert "Mae penawdau colofnau'r daenlen yn iaith y dudalen hon." in page

    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))

    assert rows[0] == ["derbynneb", "rhifau_syniadau", "syniadau"]
    assert len(rows) == 1 + published_envelope.ballots.count()


def _file_name(response) -> str:
    return re.fullmatch(r'attachment; filename="(.+)"', response["Content-Disposition"]).group(1)


@pytest.mark.parametrize(
    ("name_cy", "welsh_csv"),
    [
        ("Glan-yr-afon", "2025-26-glan-yr-afon-papurau-pleidleisio.csv"),
        ("", "2025-26-riverside-papurau-pleidleisio.csv"),  # no Welsh name: the English slug
    ],
)
def test_the_spreadsheet_s_file_name_is_in_the_page_s_language(
    client, published_envelope, name_cy, welsh_csv
):
    Neighbourhood.objects.filter(pk=published_envelope.neighbourhood_id).update(
        name="Riverside", slug="riverside", name_cy=name_cy
    )
    Round.objects.filter(pk=published_envelope.round_id).update(slug="2025-26")
    csv_url = reverse("voting-results-csv", kwargs={"envelope_id": published_envelope.pk})
    pb_url = reverse("voting-results-pb", kwargs={"envelope_id": published_envelope.pk})

    assert _file_name(client.get(csv_url)) == "2025-26-riverside-ballots.csv"
    assert _file_name(client.get("/cy" + csv_url)) == welsh_csv
    # The .pb file has one name in both languages: the recount command types it.
    assert _file_name(client.get(pb_url)) == "2025-26-riverside-ballots.pb"
    assert _file_name(client.get("/cy" + pb_url)) == "2025-26-riverside-ballots.pb"
