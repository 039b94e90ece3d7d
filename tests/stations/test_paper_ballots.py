"""Paper ballots: keyed twice by two people, differences decided by a third, counted
under the round's rule, published with voting method "paper", and the count held while
any batch is not checked."""

import io
import json
import time
import uuid
from dataclasses import replace

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from budgets.models import Round
from budgets.services import round_advance
from stations import paper
from stations.kiosk import KioskVoter
from stations.paper_models import PaperBallot, PaperBatch, PaperEntry, PaperKeying
from stations.paper_pdf import write_paper_ballot
from stations.services import paper_issue, station_ballot_cast
from tests.accounts.factories import UserFactory
from tests.conftest import with_two_factor
from tests.voting.conftest import add_riverside
from tests.voting.results.factories import every_envelope
from voting.models import Ballot, Channel, Participation
from voting.results import services as count_services
from voting.results.models import EnvelopeCount
from voting.services import ballot_cast, voter_codes_generate

pytestmark = pytest.mark.django_db


def _person(email, name, **fields):
    user = UserFactory(email=email, display_name=name, is_staff=True, **fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return with_two_factor(user)


@pytest.fixture
def second_staff(station):
    user = _person("bethan@anchor.test", "Bethan")
    station.anchor.staff.add(user)
    return user


def papers_handed_out(session, envelope, officer, n):
    """Staff hand n people, each checked by a voter code, a paper ballot on the tablet."""
    codes = voter_codes_generate(envelope_id=envelope.pk, size=n, created_by=officer)
    for code in codes.codes.all():
        voter = KioskVoter(envelope_id=envelope.pk, method="code", expires=time.time() + 60)
        paper_issue(session_id=session.pk, voter=replace(voter, code=code.code))


@pytest.fixture
def batch(session, envelope, anchor_staff, officer):
    papers_handed_out(session, envelope, officer, 3)
    return paper.batch_start(
        user=anchor_staff, envelope_id=envelope.pk, papers=3, session_id=session.pk
    )


def key(batch, user, papers):
    """Key every paper: a dict of proposal id -> points, or a spoilt reason."""
    paper.keying_start(batch_id=batch.pk, user=user)
    for position, marked in enumerate(papers, start=1):
        if isinstance(marked, str):
            paper.paper_enter(
                batch_id=batch.pk, user=user, position=position, choices={}, spoilt_reason=marked
            )
        else:
            paper.paper_enter(batch_id=batch.pk, user=user, position=position, choices=marked)
    batch.refresh_from_db()


def test_a_batch_both_keyings_agree_on_counts_as_paper_ballots(
    batch, anchor_staff, second_staff, on_ballot
):
    papers = [{on_ballot["Trees"]: 1}, {on_ballot["Benches"]: 1}, "Blank"]
    key(batch, anchor_staff, papers)
    assert batch.status == PaperBatch.Status.KEYING
    assert Ballot.objects.count() == 0

    key(batch, second_staff, papers)

    assert batch.status == PaperBatch.Status.CHECKED
    ballots = Ballot.objects.filter(channel=Channel.PAPER)
    assert sorted(b.choices.get().proposal.title for b in ballots) == ["Benches", "Trees"]
    # Each of the three was put on the register when handed a paper, none again now;
    # the one whose paper is spoilt still voted.
    assert Participation.objects.filter(channel=Channel.PAPER, voter=None).count() == 3
    spoilt = PaperBallot.objects.get(position=3)
    assert (spoilt.spoilt, spoilt.spoilt_reason) == (True, "Blank")


def test_papers_keyed_differently_wait_for_a_third_person(
    batch, anchor_staff, second_staff, officer, on_ballot
):
    key(batch, anchor_staff, [{on_ballot["Trees"]: 1}, {on_ballot["Benches"]: 1}, "Blank"])
    key(batch, second_staff, [{on_ballot["Trees"]: 1}, {on_ballot["Play area"]: 1}, "Torn"])

    assert batch.status == PaperBatch.Status.MISMATCHED
    assert Ballot.objects.count() == 0
    (difference,) = paper.differences(batch)  # both spoilt, for any reason, agree
    assert difference.position == 2
    assert difference.first.choices == {str(on_ballot["Benches"]): 1}
    assert difference.second.choices == {str(on_ballot["Play area"]): 1}

    with pytest.raises(ValidationError, match="Still to decide: 2"):
        paper.batch_resolve(batch_id=batch.pk, user=officer, decisions={})
    paper.batch_resolve(batch_id=batch.pk, user=officer, decisions={2: "2"})

    batch.refresh_from_db()
    assert (batch.status, batch.decided_by) == (PaperBatch.Status.CHECKED, officer)
    decided = PaperBallot.objects.get(batch=batch, position=2)
    assert decided.decided_by == officer
    assert decided.choices == {str(on_ballot["Play area"]): 1}
    assert PaperBallot.objects.get(position=3).spoilt_reason == "Blank; Torn"
    titles = Ballot.objects.values_list("choices__proposal__title", flat=True)
    assert sorted(titles) == ["Play area", "Trees"]


def test_someone_who_keyed_the_batch_cannot_decide_its_differences(
    batch, anchor_staff, second_staff, on_ballot
):
    key(batch, anchor_staff, [{on_ballot["Trees"]: 1}] * 3)
    key(batch, second_staff, [{on_ballot["Trees"]: 1}] * 2 + [{on_ballot["Benches"]: 1}])

    for keyer in (anchor_staff, second_staff):
        with pytest.raises(ValidationError, match="someone who did not key it"):
            paper.batch_resolve(batch_id=batch.pk, user=keyer, decisions={3: "1"})
    batch.refresh_from_db()
    assert batch.status == PaperBatch.Status.MISMATCHED
    assert not PaperBallot.objects.exists()


# --- Bad input: a clear refusal, nothing changed --------------------------------------------


def test_the_same_person_cannot_key_a_batch_twice(batch, anchor_staff, on_ballot):
    key(batch, anchor_staff, [{on_ballot["Trees"]: 1}] * 3)
    with pytest.raises(ValidationError, match="must be done by someone else"):
        paper.keying_start(batch_id=batch.pk, user=anchor_staff)
    assert PaperKeying.objects.count() == 1
    # And the database refuses it whatever the path.
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperKeying.objects.create(batch=batch, number=2, keyed_by=anchor_staff)


def test_a_third_keying_is_refused(batch, anchor_staff, second_staff, officer, on_ballot):
    paper.keying_start(batch_id=batch.pk, user=anchor_staff)
    paper.keying_start(batch_id=batch.pk, user=second_staff)
    with pytest.raises(ValidationError, match="keyed twice already"):
        paper.keying_start(batch_id=batch.pk, user=officer)
    assert PaperKeying.objects.count() == 2


@pytest.mark.parametrize(
    ("marked", "message"),
    [
        ("other", "not on this ballot"),
        ("over", "which is £5,000 more than the £30,000 available"),
        ("none", "Choose at least one"),
    ],
)
def test_a_paper_keyed_against_the_rule_is_refused(
    batch, anchor_staff, envelope, on_ballot, marked, message
):
    other = add_riverside(envelope).proposals.get()
    choices = {
        "other": {other.pk: 1},
        "over": {on_ballot["Trees"]: 1, on_ballot["Play area"]: 1},
        "none": {},
    }[marked]
    paper.keying_start(batch_id=batch.pk, user=anchor_staff)
    with pytest.raises(ValidationError, match=message) as refused:
        paper.paper_enter(batch_id=batch.pk, user=anchor_staff, position=1, choices=choices)
    assert "mark it spoilt or unclear" in refused.value.messages[0]
    assert not PaperEntry.objects.exists()


def test_other_bad_papers_are_refused(batch, anchor_staff, second_staff, on_ballot):
    with pytest.raises(ValidationError, match="Start keying this batch first"):
        paper.paper_enter(
            batch_id=batch.pk, user=anchor_staff, position=1, choices={on_ballot["Trees"]: 1}
        )
    paper.keying_start(batch_id=batch.pk, user=anchor_staff)
    with pytest.raises(ValidationError, match="no paper 4"):
        paper.paper_enter(
            batch_id=batch.pk, user=anchor_staff, position=4, choices={on_ballot["Trees"]: 1}
        )
    with pytest.raises(ValidationError, match="A spoilt paper has no choices"):
        paper.paper_enter(
            batch_id=batch.pk,
            user=anchor_staff,
            position=1,
            choices={on_ballot["Trees"]: 1},
            spoilt_reason="Torn",
        )
    assert not PaperEntry.objects.exists()


def test_staff_of_another_organisation_cannot_key_or_start_batches(batch, session, envelope):
    stranger = _person("cai@elsewhere.test", "Cai")
    with pytest.raises(ValidationError, match="cannot key this batch"):
        paper.keying_start(batch_id=batch.pk, user=stranger)
    with pytest.raises(ValidationError, match="cannot enter paper ballots"):
        paper.batch_start(user=stranger, envelope_id=envelope.pk, papers=2, session_id=session.pk)
    assert PaperBatch.objects.count() == 1
    assert not PaperKeying.objects.exists()


def test_only_officers_enter_postal_returns(station, anchor_staff, officer, envelope):
    with pytest.raises(ValidationError, match="Only council officers"):
        paper.batch_start(
            user=anchor_staff, envelope_id=envelope.pk, papers=2, postal_return="Post of 3 June"
        )
    assert not PaperBatch.objects.exists()
    batch = paper.batch_start(
        user=officer, envelope_id=envelope.pk, papers=2, postal_return="Post of 3 June"
    )
    assert batch.session is None


def test_a_batch_needs_one_source_and_a_sensible_size(session, anchor_staff, envelope):
    with pytest.raises(ValidationError, match="or name the postal return"):
        paper.batch_start(
            user=anchor_staff,
            envelope_id=envelope.pk,
            papers=2,
            session_id=session.pk,
            postal_return="Post",
        )
    with pytest.raises(ValidationError, match="between 1 and 500"):
        paper.batch_start(
            user=anchor_staff, envelope_id=envelope.pk, papers=0, session_id=session.pk
        )
    assert not PaperBatch.objects.exists()


# --- The count waits for every batch ---------------------------------------------------------


def test_the_round_is_not_counted_while_a_batch_is_not_checked(
    batch, anchor_staff, second_staff, officer, envelope, on_ballot
):
    key(batch, anchor_staff, [{on_ballot["Trees"]: 1}] * 3)
    key(batch, second_staff, [{on_ballot["Trees"]: 1}] * 2 + [{on_ballot["Benches"]: 1}])
    round_advance(round_id=envelope.round_id, to_phase=Round.Phase.VOTING_CLOSED)
    round_id = envelope.round_id

    for attempt in (
        lambda: count_services.round_count_request(round_id=round_id),
        lambda: count_services.round_count_start(round_id=round_id),
        lambda: count_services.envelope_count(envelope_id=envelope.pk),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert f"#{batch.pk} " in refused.value.messages[0]
        assert "keyings differ" in refused.value.messages[0]
    assert count_services.counts_to_resume() == ([], [])
    # The database holds the same rule, whatever path writes the count.
    with pytest.raises(IntegrityError, match="paper ballot batch"), transaction.atomic():
        EnvelopeCount.objects.create(
            envelope=envelope,
            rule="greedy",
            tie_break="id",
            vote_type="approval",
            input_sha256="0" * 64,
            ballot_count=0,
            budget_pence=0,
            total_cost_pence=0,
            engine_version="x",
        )
    assert not EnvelopeCount.objects.exists()

    # Papers can still be checked after voting closes; then the round counts.
    paper.batch_resolve(batch_id=batch.pk, user=officer, decisions={3: "1"})
    assert count_services.counts_to_resume() == ([envelope.pk], [])
    outcome = count_services.envelope_count(envelope_id=envelope.pk)
    assert outcome.ballot_count == 3
    with pytest.raises(ValidationError, match="has been counted"):
        paper.batch_start(
            user=anchor_staff, envelope_id=envelope.pk, papers=1, session_id=batch.session_id
        )


def test_a_withdrawn_batch_no_longer_holds_the_count(batch, officer, anchor_staff, envelope):
    with pytest.raises(ValidationError, match="Only an officer"):
        paper.batch_withdraw(batch_id=batch.pk, officer=anchor_staff, reason="Mistake")
    with pytest.raises(ValidationError, match="Say why"):
        paper.batch_withdraw(batch_id=batch.pk, officer=officer, reason=" ")
    assert paper.round_paper_holds(envelope.round_id)
    paper.batch_withdraw(batch_id=batch.pk, officer=officer, reason="Started twice by mistake")
    assert paper.round_paper_holds(envelope.round_id) == []


# --- Online, station and paper ballots, recounted from the published file --------------------


def test_online_station_and_paper_ballots_recount_from_the_published_file(
    client, batch, session, envelope, anchor_staff, second_staff, resident, on_ballot, tmp_path
):
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Trees"]: 1, on_ballot["Benches"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    for name, choice in [("Megan Lewis", "Play area"), ("Dai Jones", "Benches")]:
        station_ballot_cast(
            session_id=session.pk,
            voter=KioskVoter(
                envelope_id=envelope.pk,
                method="declaration",
                expires=time.time() + 60,
                name=name,
                postcode="CF24 2AB",
                checked_by_id=anchor_staff.pk,
            ),
            choices={on_ballot[choice]: 1},
            idempotency_key=uuid.uuid4(),
        )
    papers = [
        {on_ballot["Play area"]: 1, on_ballot["Benches"]: 1},
        {on_ballot["Play area"]: 1},
        "Two crosses over the budget",
    ]
    key(batch, anchor_staff, papers)
    key(batch, second_staff, papers)
    round_advance(round_id=envelope.round_id, to_phase=Round.Phase.VOTING_CLOSED)
    outcome = count_services.envelope_count(envelope_id=envelope.pk)
    count_services.round_publish(
        round_id=envelope.round_id, few_ballots_accepted=every_envelope(envelope.round_id)
    )
    assert outcome.ballot_count == 5

    pb = client.get(reverse("voting-results-pb", args=[envelope.pk])).content.decode()
    path = tmp_path / "ballots.pb"
    path.write_text(pb)
    out = io.StringIO()
    call_command("count_pb", str(path), "--rule", outcome.rule, stdout=out)

    result = json.loads(out.getvalue())
    funded = outcome.proposal_results.filter(funded=True).values_list("proposal_id", flat=True)
    assert sorted(result["selected"]) == sorted(str(pk) for pk in funded)
    assert result["total_cost"] == outcome.total_cost_pence
    votes = pb.split("VOTES\n", 1)[1].splitlines()
    header = votes[0].split(";")
    methods = [dict(zip(header, row.split(";"), strict=True))["voting_method"] for row in votes[1:]]
    assert sorted(methods) == ["internet", "internet", "internet", "paper", "paper"]
    page = client.get(reverse("voting-results", args=[envelope.pk]))
    # Three people were handed papers (one spoilt): all three voted.
    assert page.context["turnout"] == [("Online", 1), ("Polling station", 2), ("Paper", 3)]


# --- The printable paper ballot -------------------------------------------------------------


def test_the_printable_paper_ballot_is_in_welsh_and_english(envelope):
    output = io.BytesIO()
    write_paper_ballot(envelope, output)
    output.seek(0)
    text = " ".join(page.extract_text() for page in PdfReader(output).pages)
    text = " ".join(text.split())
    for title in ("Benches", "Play area", "Trees"):
        assert title in text
    assert "£10,000" in text
    assert "Paper ballot: Splott, Splott Decides" in text
    assert "Papur pleidleisio: Splott, Splott Decides" in text
    assert "as long as their costs add up to £30,000 or less" in text
    assert "Put a cross (X) in the box" in text
    assert "Rhowch groes (X) yn y blwch" in text


def test_staff_and_officers_download_the_paper_ballot(client, envelope, anchor_staff, station):
    client.force_login(anchor_staff)
    response = client.get(reverse("stations-paper-pdf", args=[envelope.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    stranger = _person("cai@elsewhere.test", "Cai")
    client.force_login(stranger)
    assert client.get(reverse("stations-paper-pdf", args=[envelope.pk])).status_code == 403
