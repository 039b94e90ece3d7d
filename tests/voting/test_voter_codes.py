import json
import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.voting.conftest import make_voting_envelope
from voting.models import VoterCode
from voting.services import voter_code_redeem, voter_codes_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded_envelope(council):
    return make_voting_envelope(council, requires_voter_code=True)


@pytest.fixture
def code(coded_envelope):
    return voter_codes_generate(
        envelope_id=coded_envelope.pk, size=3, created_by=None
    ).codes.first()


def test_a_batch_makes_unique_readable_codes(coded_envelope):
    batch = voter_codes_generate(envelope_id=coded_envelope.pk, size=200, created_by=None)
    codes = list(batch.codes.values_list("code", flat=True))
    assert len(set(codes)) == 200
    assert all(len(c) == 14 and c.count("-") == 2 for c in codes)
    assert not any(ch in "".join(codes) for ch in "01OIL")


@pytest.mark.parametrize("size", [0, -1, 50_001])
def test_batch_sizes_are_bounded(coded_envelope, size):
    with pytest.raises(ValidationError, match="between 1 and 50,000"):
        voter_codes_generate(envelope_id=coded_envelope.pk, size=size, created_by=None)


def test_a_code_links_to_the_resident_who_enters_it(resident, coded_envelope, code):
    voter_code_redeem(user=resident, envelope_id=coded_envelope.pk, code=code.code)
    code.refresh_from_db()
    assert code.used_by == resident


def test_a_used_code_cannot_be_used_by_someone_else(resident, coded_envelope, code):
    voter_code_redeem(user=resident, envelope_id=coded_envelope.pk, code=code.code)
    with pytest.raises(ValidationError, match="already been used"):
        voter_code_redeem(user=UserFactory(), envelope_id=coded_envelope.pk, code=code.code)


def test_a_code_for_another_envelope_is_refused(resident, code, council):
    other = voter_codes_generate(
        envelope_id=make_voting_envelope(council).pk, size=1, created_by=None
    )
    with pytest.raises(ValidationError, match="not right for this neighbourhood"):
        voter_code_redeem(user=resident, envelope_id=code.envelope_id, code=other.codes.get().code)


def test_one_resident_cannot_take_two_codes(resident, coded_envelope):
    first, second = voter_codes_generate(
        envelope_id=coded_envelope.pk, size=2, created_by=None
    ).codes.all()
    voter_code_redeem(user=resident, envelope_id=coded_envelope.pk, code=first.code)
    with pytest.raises(ValidationError, match="already entered a voter code"):
        voter_code_redeem(user=resident, envelope_id=coded_envelope.pk, code=second.code)
    assert VoterCode.objects.filter(used_by=resident).count() == 1


def test_the_ballot_sends_residents_without_a_code_to_enter_one(
    client, resident, coded_envelope, code
):
    client.force_login(resident)
    response = client.get(reverse("voting-ballot", args=[coded_envelope.pk]))
    assert response["Location"] == reverse("voting-code", args=[coded_envelope.pk])
    page = client.get(reverse("voting-code", args=[coded_envelope.pk]), {"code": code.code})
    assert code.code in page.content.decode()
    response = client.post(reverse("voting-code", args=[coded_envelope.pk]), {"code": code.code})
    assert response["Location"] == reverse("voting-ballot", args=[coded_envelope.pk])


def test_guessing_codes_is_rate_limited(client, resident, coded_envelope, code, settings):
    settings.VOTER_CODE_ATTEMPTS_PER_HOUR = 3
    client.force_login(resident)
    url = reverse("voting-code", args=[coded_envelope.pk])
    for guess in ["AAAA-AAAA-AAAA", "BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC"]:
        assert (
            "not right for this neighbourhood" in client.post(url, {"code": guess}).content.decode()
        )
    response = client.post(url, {"code": code.code})
    assert "Too many wrong codes" in response.content.decode()
    code.refresh_from_db()
    assert code.used_by is None


def test_each_refused_code_is_logged_without_the_code_or_the_voter(
    client, resident, coded_envelope, code, settings, caplog
):
    settings.VOTER_CODE_ATTEMPTS_PER_HOUR = 1
    caplog.set_level(logging.INFO, logger="voting.services")
    client.force_login(resident)
    url = reverse("voting-code", args=[coded_envelope.pk])
    client.post(url, {"code": "AAAA-AAAA-AAAA"})
    client.post(url, {"code": code.code})
    refused = [r for r in caplog.records if getattr(r, "event", None) == "action.refused"]
    assert [(r.action, r.envelope_id, r.codes) for r in refused] == [
        ("voting.voter_code_enter", coded_envelope.pk, ["wrong_code"]),
        ("voting.voter_code_enter", coded_envelope.pk, ["too_many_attempts"]),
    ]
    for record in refused:
        line = json.dumps(record.__dict__, default=str)
        assert code.code not in line and "AAAA-AAAA-AAAA" not in line
        assert resident.email not in line


def test_other_councils_cannot_see_the_letters(outsider_client, code):
    url = reverse("admin:voting_votercodebatch_letters", args=[code.batch_id])
    assert outsider_client.get(url).status_code == 404
