"""Staff hand a voter checked on the tablet a paper ballot instead (issue 17): the voter
goes on the one register at once, so they cannot vote again anywhere, and the station's
batches reconcile with the papers it handed out."""

import time
import uuid

import pytest
from django.core.exceptions import ValidationError

from stations import paper, services
from stations.kiosk import KioskVoter
from stations.models import HeldDeclaration, Refusal, StationSession
from stations.selectors import reconciliation
from tests.accounts.factories import UserFactory
from tests.stations import test_paper_ballots as paper_tests
from tests.stations.factories import PollingStationFactory, StationSessionFactory
from tests.voting.conftest import make_voting_envelope
from voting.models import Ballot, Channel, Participation, VoterCode
from voting.services import ballot_cast, voter_code_redeem, voter_codes_generate

pytestmark = pytest.mark.django_db

# The paper ballot tests' second keyer and their way of keying a batch.
second_staff = paper_tests.second_staff
key = paper_tests.key


@pytest.fixture
def codes(envelope, officer):
    batch = voter_codes_generate(envelope_id=envelope.pk, size=4, created_by=officer)
    return [code.code for code in batch.codes.order_by("pk")]


def by_code(envelope, code, account_id=None):
    return KioskVoter(
        envelope_id=envelope.pk,
        method="code",
        expires=time.time() + 60,
        code=code,
        account_id=account_id,
    )


def by_declaration(envelope, staff, name):
    return KioskVoter(
        envelope_id=envelope.pk,
        method="declaration",
        expires=time.time() + 60,
        name=name,
        postcode="CF24 2AB",
        checked_by_id=staff.pk,
    )


def issue(session, voter):
    services.paper_issue(session_id=session.pk, voter=voter)


def test_a_voter_handed_paper_is_on_the_register_and_their_code_is_used(session, envelope, codes):
    issue(session, by_code(envelope, codes[0]))

    entry = Participation.objects.get()
    assert (entry.channel, entry.voter_id, entry.envelope_id) == (Channel.PAPER, None, envelope.pk)
    assert VoterCode.objects.get(code=codes[0]).used_on is not None
    session.refresh_from_db()
    assert (session.papers_issued_recorded, session.codes_used_recorded) == (1, 1)
    assert Ballot.objects.exists() is False


def test_a_code_used_for_paper_cannot_vote_on_a_tablet_or_online(
    session, envelope, codes, resident, on_ballot
):
    issue(session, by_code(envelope, codes[0]))

    with pytest.raises(services.Refused, match="already been used"):
        services.code_check(session=session, code=codes[0])
    with pytest.raises(ValidationError, match="already been used"):
        voter_code_redeem(user=resident, envelope_id=envelope.pk, code=codes[0])
    with pytest.raises(services.Refused, match="already been used"):
        issue(session, by_code(envelope, codes[0]))
    assert Participation.objects.count() == 1
    assert StationSession.objects.get().papers_issued_recorded == 1


def test_a_resident_handed_paper_cannot_then_vote_online(
    session, envelope, codes, resident, on_ballot
):
    # They had signed in with their letter's code online, but not voted yet.
    voter_code_redeem(user=resident, envelope_id=envelope.pk, code=codes[0])
    details = services.code_check(session=session, code=codes[0])
    issue(session, by_code(envelope, codes[0], account_id=details["account_id"]))

    assert Participation.objects.get().voter == resident
    with pytest.raises(ValidationError):
        ballot_cast(
            user=resident,
            envelope_id=envelope.pk,
            choices={on_ballot["Trees"]: 1},
            idempotency_key=uuid.uuid4(),
        )
    assert Ballot.objects.exists() is False


def test_someone_who_voted_online_is_not_handed_paper(
    session, envelope, codes, resident, on_ballot
):
    voter_code_redeem(user=resident, envelope_id=envelope.pk, code=codes[0])
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Trees"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    with pytest.raises(services.Refused, match="already voted online"):
        issue(session, by_code(envelope, codes[0], account_id=resident.pk))
    assert Refusal.objects.get().reason == Refusal.Reason.ALREADY_VOTED_ONLINE
    assert StationSession.objects.get().papers_issued_recorded == 0


def test_a_declared_voter_handed_paper_cannot_vote_at_another_station(
    session, station, envelope, anchor_staff, on_ballot
):
    issue(session, by_declaration(envelope, anchor_staff, "Megan Lewis"))
    assert Participation.objects.get().channel == Channel.PAPER

    other = PollingStationFactory(
        round=envelope.round, anchor=station.anchor, neighbourhoods=[envelope.neighbourhood]
    )
    elsewhere = StationSessionFactory(station=other, opened_by=anchor_staff)
    with pytest.raises(services.Refused, match="already voted"):
        services.declaration_check(
            session=elsewhere,
            name="Megan Lewis",
            postcode="CF24 2AB",
            date_of_birth=None,
            checked_by_id=anchor_staff.pk,
        )
    with pytest.raises(services.Refused, match="already voted"):
        services.station_ballot_cast(
            session_id=elsewhere.pk,
            voter=by_declaration(envelope, anchor_staff, "Megan Lewis"),
            choices={on_ballot["Trees"]: 1},
            idempotency_key=uuid.uuid4(),
        )
    assert Participation.objects.count() == 1


def test_a_declaration_that_needs_an_officer_is_not_handed_paper(
    session, envelope, anchor_staff, on_ballot
):
    issue(session, by_declaration(envelope, anchor_staff, "Megan Lewis"))
    with pytest.raises(ValidationError, match="an officer must check"):
        issue(session, by_declaration(envelope, anchor_staff, "Megan Lewes"))
    assert Participation.objects.count() == 1
    assert HeldDeclaration.objects.exists() is False
    assert StationSession.objects.get().papers_issued_recorded == 1


def test_no_paper_is_handed_out_once_the_station_has_closed(session, envelope, codes, anchor_staff):
    services.session_close(
        session_id=session.pk,
        closed_by_id=anchor_staff.pk,
        codes_issued=0,
        ballots=0,
        spoilt=0,
        refusals=0,
    )
    with pytest.raises(ValidationError, match="closed"):
        issue(session, by_code(envelope, codes[0]))
    assert Participation.objects.exists() is False


def test_a_station_s_batches_hold_no_more_papers_than_it_handed_out(
    session, envelope, codes, anchor_staff, officer
):
    issue(session, by_code(envelope, codes[0]))
    issue(session, by_code(envelope, codes[1]))

    def start(papers):
        return paper.batch_start(
            user=anchor_staff, envelope_id=envelope.pk, papers=papers, session_id=session.pk
        )

    with pytest.raises(
        ValidationError,
        match="session: 2. Already in its batches: 0. So this batch can hold at most 2.",
    ):
        start(3)
    first = start(1)
    with pytest.raises(
        ValidationError, match="Already in its batches: 1. So this batch can hold at most 1."
    ):
        start(2)
    paper.batch_withdraw(batch_id=first.pk, officer=officer, reason="Started by mistake.")
    assert start(2).papers == 2


def test_a_checked_station_batch_adds_ballots_but_nobody_to_the_register_twice(
    session,
    envelope,
    codes,
    anchor_staff,
    second_staff,
    on_ballot,
):
    issue(session, by_code(envelope, codes[0]))
    issue(session, by_code(envelope, codes[1]))
    batch = paper.batch_start(
        user=anchor_staff, envelope_id=envelope.pk, papers=2, session_id=session.pk
    )
    papers = [{on_ballot["Trees"]: 1}, "Torn"]
    key(batch, anchor_staff, papers)
    key(batch, second_staff, papers)

    assert Ballot.objects.filter(channel=Channel.PAPER).count() == 1
    assert Participation.objects.filter(channel=Channel.PAPER).count() == 2


def test_a_postal_batch_puts_each_counted_paper_on_the_register(envelope, officer, on_ballot):
    colleague = UserFactory(email="rhys@council.test", is_staff=True, council=officer.council)
    batch = paper.batch_start(
        user=officer, envelope_id=envelope.pk, papers=2, postal_return="Post of 3 June"
    )
    papers = [{on_ballot["Trees"]: 1}, "Blank"]
    key(batch, officer, papers)
    key(batch, colleague, papers)

    assert Ballot.objects.filter(channel=Channel.PAPER).count() == 1
    assert Participation.objects.filter(channel=Channel.PAPER, voter=None).count() == 1


def test_closing_shows_papers_handed_out_beside_the_staff_count(
    session, envelope, codes, anchor_staff
):
    issue(session, by_code(envelope, codes[0]))
    closed = services.session_close(
        session_id=session.pk,
        closed_by_id=anchor_staff.pk,
        codes_issued=1,
        ballots=0,
        spoilt=0,
        refusals=0,
        papers=2,
    )
    row = next(r for r in reconciliation(closed) if r.label == "Paper ballots handed out")
    assert (row.reported, row.recorded, row.difference) == (2, 1, 1)


@pytest.fixture
def other_round_envelope(council):
    return make_voting_envelope(council)


def _by_tablet(session, voter):
    services.station_ballot_cast(
        session_id=session.pk, voter=voter, choices={}, idempotency_key=uuid.uuid4()
    )


@pytest.mark.parametrize("hand_out", [issue, _by_tablet], ids=["paper", "tablet"])
def test_paper_and_tablet_refuse_a_voter_of_another_round_in_the_same_words(
    hand_out, session, other_round_envelope, officer
):
    batch = voter_codes_generate(envelope_id=other_round_envelope.pk, size=1, created_by=officer)
    voter = by_code(other_round_envelope, batch.codes.get().code)

    with pytest.raises(ValidationError, match="This ballot is not for this station."):
        hand_out(session, voter)
    assert Participation.objects.exists() is False
