import time
import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from budgets.models import Round
from stations.kiosk import KioskVoter
from stations.models import DeclaredVoter, HeldDeclaration, Refusal
from stations.selectors import held_matches
from stations.services import Refused, session_close, station_ballot_cast
from tests.stations.factories import PollingStationFactory, StationSessionFactory
from tests.voting.conftest import make_voting_envelope
from voting.keys import ballot_key
from voting.models import Ballot, Channel, Participation, VoterCode
from voting.rules import BallotRefused
from voting.services import ballot_cast, voter_codes_generate

pytestmark = pytest.mark.django_db


def declared(envelope, anchor_staff, name="Megan Lewis", postcode="CF24 2AB", dob=""):
    return KioskVoter(
        envelope_id=envelope.pk,
        method="declaration",
        expires=time.time() + 60,
        name=name,
        postcode=postcode,
        date_of_birth=dob,
        checked_by_id=anchor_staff.pk,
    )


def with_code(envelope, code, account_id=None):
    return KioskVoter(
        envelope_id=envelope.pk,
        method="code",
        expires=time.time() + 60,
        code=code.code,
        account_id=account_id,
    )


def cast(session, voter, choices):
    return station_ballot_cast(
        session_id=session.pk, voter=voter, choices=choices, idempotency_key=uuid.uuid4()
    )


def test_a_declared_voter_s_ballot_is_stored_with_the_station_channel(
    session, envelope, anchor_staff, on_ballot
):
    result = cast(session, declared(envelope, anchor_staff), {on_ballot["Benches"]: 1})

    assert result.held is False
    ballot = Ballot.objects.get()
    assert ballot.channel == Channel.POLLING_STATION
    assert list(ballot.choices.values_list("proposal__title", flat=True)) == ["Benches"]
    entry = Participation.objects.get()
    assert (entry.channel, entry.voter_id) == (Channel.POLLING_STATION, None)
    assert DeclaredVoter.objects.get().name == "megan lewis"
    session.refresh_from_db()
    assert session.ballots_recorded == 1


def test_a_station_ballot_cannot_be_found_again_from_anyone(
    session, envelope, anchor_staff, on_ballot
):
    cast(session, declared(envelope, anchor_staff), {on_ballot["Benches"]: 1})
    key = Ballot.objects.get().ballot_key
    assert key.startswith("x")
    assert key != ballot_key(voter_id=anchor_staff.pk, envelope_id=envelope.pk)


def test_the_same_declaration_twice_is_refused_with_the_reason(
    session, envelope, anchor_staff, on_ballot
):
    cast(session, declared(envelope, anchor_staff), {on_ballot["Benches"]: 1})
    again = declared(envelope, anchor_staff, name="  MEGAN   lewis ")
    with pytest.raises(Refused, match="already voted in this round"):
        cast(session, again, {on_ballot["Trees"]: 1})
    assert Ballot.objects.count() == 1
    assert Refusal.objects.get().reason == Refusal.Reason.ALREADY_VOTED_IN_PERSON


def test_a_similar_declaration_is_held_not_counted(session, envelope, anchor_staff, on_ballot):
    cast(session, declared(envelope, anchor_staff, name="Jon Evans"), {on_ballot["Benches"]: 1})
    result = cast(
        session, declared(envelope, anchor_staff, name="John Evans"), {on_ballot["Trees"]: 1}
    )
    assert result.held is True
    assert Ballot.objects.count() == 1
    held = HeldDeclaration.objects.get()
    assert held.status == HeldDeclaration.Status.PENDING
    assert "similar name" in held.why_held
    assert held.sealed_choices == {str(on_ballot["Trees"]): 1}


def test_a_resident_who_voted_online_is_refused_by_declaration(
    session, envelope, anchor_staff, on_ballot, resident
):
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Benches"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    voter = declared(envelope, anchor_staff, name=resident.display_name)
    with pytest.raises(Refused, match=r"already voted online"):
        cast(session, voter, {on_ballot["Trees"]: 1})
    assert Ballot.objects.filter(channel=Channel.POLLING_STATION).exists() is False
    assert Refusal.objects.get().reason == Refusal.Reason.ALREADY_VOTED_ONLINE


def test_a_voter_code_is_used_up_by_a_station_ballot(session, envelope, on_ballot, officer):
    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    voter = with_code(envelope, code)
    cast(session, voter, {on_ballot["Benches"]: 1})
    code.refresh_from_db()
    assert code.used_on is not None
    assert code.used_by_id is None
    with pytest.raises(Refused, match="already been used"):
        cast(session, voter, {on_ballot["Trees"]: 1})
    assert Ballot.objects.count() == 1
    session.refresh_from_db()
    assert (session.ballots_recorded, session.codes_used_recorded) == (1, 1)


def test_a_ballot_that_breaks_the_rule_is_refused_and_nothing_is_stored(
    session, envelope, anchor_staff, on_ballot
):
    over = {on_ballot["Benches"]: 1, on_ballot["Play area"]: 1, on_ballot["Trees"]: 1}
    with pytest.raises(BallotRefused, match="Untick ideas costing at least £15,000"):
        cast(session, declared(envelope, anchor_staff), over)
    assert Ballot.objects.exists() is False
    assert Participation.objects.exists() is False


def test_nothing_is_stored_once_voting_has_closed(session, envelope, anchor_staff, on_ballot):
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.VOTING_CLOSED)
    with pytest.raises(ValidationError, match="Voting has closed"):
        cast(session, declared(envelope, anchor_staff), {on_ballot["Benches"]: 1})
    assert Ballot.objects.exists() is False


def test_nothing_is_stored_from_a_closed_session(session, envelope, anchor_staff, on_ballot):
    session_close(
        session_id=session.pk,
        closed_by_id=anchor_staff.pk,
        codes_issued=0,
        ballots=0,
        spoilt=0,
        refusals=0,
    )
    with pytest.raises(ValidationError, match="station is closed"):
        cast(session, declared(envelope, anchor_staff), {on_ballot["Benches"]: 1})
    assert Ballot.objects.exists() is False


def test_a_resent_submission_is_stored_once(session, envelope, anchor_staff, on_ballot):
    key = uuid.uuid4()
    voter = declared(envelope, anchor_staff)
    for _ in range(2):
        station_ballot_cast(
            session_id=session.pk, voter=voter, choices={on_ballot["Trees"]: 1}, idempotency_key=key
        )
    assert Ballot.objects.count() == 1


def test_a_date_of_birth_tells_two_people_of_one_name_apart(council, anchor_staff):
    envelope = make_voting_envelope(council, minimum_age=16)
    station = PollingStationFactory(round=envelope.round, neighbourhoods=[envelope.neighbourhood])
    station.anchor.staff.add(anchor_staff)
    session = StationSessionFactory(station=station, opened_by=anchor_staff)
    trees = envelope.proposals.get(title="Trees").pk
    cast(session, declared(envelope, anchor_staff, dob="1960-05-01"), {trees: 1})
    result = cast(session, declared(envelope, anchor_staff, dob="1990-05-01"), {trees: 1})
    assert result.held is False
    assert Ballot.objects.count() == 2
    assert set(DeclaredVoter.objects.values_list("date_of_birth", flat=True)) == {
        date(1960, 5, 1),
        date(1990, 5, 1),
    }


def test_a_used_code_s_account_holder_who_voted_online_is_refused(
    session, envelope, on_ballot, officer, resident
):
    from voting.services import voter_code_redeem

    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    voter_code_redeem(user=resident, envelope_id=envelope.pk, code=code.code)
    ballot_cast(
        user=resident,
        envelope_id=envelope.pk,
        choices={on_ballot["Benches"]: 1},
        idempotency_key=uuid.uuid4(),
    )
    voter = with_code(envelope, code, account_id=resident.pk)
    with pytest.raises(Refused, match="already voted online"):
        cast(session, voter, {on_ballot["Trees"]: 1})
    assert VoterCode.objects.get().used_by_id == resident.pk
    assert Ballot.objects.count() == 1


def test_a_code_used_at_a_station_cannot_be_entered_online(
    session, envelope, on_ballot, officer, resident
):
    from voting.services import voter_code_redeem

    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    voter = with_code(envelope, code)
    cast(session, voter, {on_ballot["Benches"]: 1})
    with pytest.raises(ValidationError, match="already been used"):
        voter_code_redeem(user=resident, envelope_id=envelope.pk, code=code.code)
    assert VoterCode.objects.get().used_by_id is None


def test_a_resident_who_voted_at_a_station_with_their_code_cannot_vote_online(
    session, envelope, on_ballot, officer, resident
):
    from voting.services import voter_code_redeem

    code = voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=officer).codes.get()
    voter_code_redeem(user=resident, envelope_id=envelope.pk, code=code.code)
    voter = with_code(envelope, code, account_id=resident.pk)
    cast(session, voter, {on_ballot["Trees"]: 1})
    assert Participation.objects.get().voter_id == resident.pk
    with pytest.raises(ValidationError, match="already voted in person"):
        ballot_cast(
            user=resident,
            envelope_id=envelope.pk,
            choices={on_ballot["Benches"]: 1},
            idempotency_key=uuid.uuid4(),
        )
    assert Ballot.objects.count() == 1


def _station_session(envelope, anchor_staff):
    station = PollingStationFactory(round=envelope.round, neighbourhoods=[envelope.neighbourhood])
    station.anchor.staff.add(anchor_staff)
    return StationSessionFactory(station=station, opened_by=anchor_staff)


def test_a_declaration_under_the_round_s_minimum_age_is_refused(council, anchor_staff):
    from stations.services import declaration_check

    envelope = make_voting_envelope(council, minimum_age=16)
    session = _station_session(envelope, anchor_staff)
    today = date.today()
    with pytest.raises(Refused, match="16 or older") as refused:
        declaration_check(
            session=session,
            name="Young Person",
            postcode="CF24 2AB",
            date_of_birth=date(today.year - 15, 1, 1),
            checked_by_id=anchor_staff.pk,
        )
    assert refused.value.reason == Refusal.Reason.TOO_YOUNG


def test_a_round_that_needs_voter_codes_takes_no_declarations(council, anchor_staff):
    from stations.services import declaration_check

    envelope = make_voting_envelope(council, requires_voter_code=True)
    session = _station_session(envelope, anchor_staff)
    with pytest.raises(Refused, match="needs a voter code"):
        declaration_check(
            session=session,
            name="Megan Lewis",
            postcode="CF24 2AB",
            date_of_birth=None,
            checked_by_id=anchor_staff.pk,
        )


def test_the_officer_is_shown_the_register_entries_the_tablet_matched(
    session, envelope, anchor_staff, on_ballot
):
    """The tablet's check and the officer's comparison read the register through one
    function (register.entries_at), so they name the same people."""
    cast(session, declared(envelope, anchor_staff, name="Jon Evans"), {on_ballot["Benches"]: 1})
    cast(session, declared(envelope, anchor_staff, name="Ann Jones"), {on_ballot["Benches"]: 1})
    cast(session, declared(envelope, anchor_staff, name="John Evans"), {on_ballot["Trees"]: 1})

    matches = held_matches(HeldDeclaration.objects.get())
    assert [(m.name, m.channel) for m in matches] == [("jon evans", Channel.POLLING_STATION)]
