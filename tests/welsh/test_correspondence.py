"""Emails and letters in the reader's language: recorded from the page they sign up on,
changed in "Your details", used by every email whichever page or worker sends it; letters
bilingual, Welsh first and linking to /cy/ when the council asks."""

import csv
import io
import shutil
import subprocess
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from accounts.models import User
from budgets.models import Round
from neighbourhoods.models import Neighbourhood
from outbox.models import Message
from outbox.tasks import deliver
from proposals.services import proposal_status_email_send
from tests.proposals.factories import ProposalFactory
from tests.voting.conftest import make_voting_envelope
from tests.voting.test_confirmation_email import IN_JULY
from tests.waiting import wait_for
from voting.letters import code_url, letter_columns, letters_csv_rows, write_letters_pdf
from voting.services import ballot_cast
from voting.tasks import send_ballot_confirmation

pytestmark = pytest.mark.django_db

CODES = ["ABCD-EFGH-JKMN"]


@pytest.fixture
def welsh_resident(resident):
    resident.language = "cy"
    resident.save(update_fields=["language"])
    return resident


@pytest.fixture
def envelope(council):
    return make_voting_envelope(council)


def _signup(client, prefix: str, email: str) -> User:
    client.post(
        f"{prefix}/accounts/signup/",
        {"email": email, "display_name": "Nia", "home_postcode": "CF24 2AB"},
    )
    return User.objects.get(email=email)


def test_the_language_of_the_sign_up_page_is_recorded(client):
    assert _signup(client, "/cy", "nia@example.test").language == "cy"
    assert _signup(Client(), "", "sam@example.test").language == "en-gb"


def test_the_sign_up_code_email_is_in_the_page_s_language(client):
    _signup(client, "/cy", "nia@example.test")
    [email] = mail.outbox
    assert "Eich cod i greu eich cyfrif" in email.subject
    assert "Democratiaeth Cymdogaeth" in email.subject


def test_a_resident_changes_their_language_in_your_details(client, resident):
    client.force_login(resident)
    form = {"display_name": "Rhian", "home_postcode": "CF24 2AB", "language": "cy"}
    client.post(reverse("accounts-profile"), form)
    resident.refresh_from_db()
    assert resident.language == "cy"
    refused = client.post(reverse("accounts-profile"), {**form, "language": "fr"})
    assert refused.status_code in (200, 400)
    resident.refresh_from_db()
    assert resident.language == "cy"


def test_a_sign_in_code_is_in_the_resident_s_language_even_from_an_english_page(
    client, welsh_resident
):
    client.post("/accounts/login/", {"login": welsh_resident.email})
    [email] = mail.outbox
    assert "Eich cod mewngofnodi" in email.subject
    assert "Eich cod i fewngofnodi i Ddemocratiaeth Cymdogaeth yw:" in email.body


def test_someone_without_an_account_is_written_to_in_the_page_s_language(client):
    client.post("/cy/accounts/login/", {"login": "nobody@example.test"})
    [email] = mail.outbox
    assert "Nid oes gennych gyfrif eto" in email.subject
    assert "/cy/accounts/signup/" in email.body


def test_the_ballot_confirmation_is_in_welsh_with_a_welsh_date_and_link(welsh_resident, envelope):
    trees = envelope.proposals.get(title="Trees")
    ballot_cast(
        user=welsh_resident,
        envelope_id=envelope.pk,
        choices={trees.pk: 1},
        idempotency_key=uuid.uuid4(),
    )
    Round.objects.filter(pk=envelope.round_id).update(voting_closes_at=IN_JULY)
    message = Message.objects.get()
    with translation.override("en-gb"):  # whatever language the worker happens to be in
        send_ballot_confirmation(**message.payload)
    [email] = mail.outbox
    assert "Mae eich pleidlais dros gymdogaeth Splott wedi'i chadw." in email.body
    assert f"nes bod pleidleisio'n cau am 5:30yh ar 3 Gorffenaf {IN_JULY.year}." in email.body
    assert f"/cy/envelopes/{envelope.pk}/vote/receipt/" in email.body
    assert "Eich pleidlais yn y cylch Splott Decides" in email.subject
    assert "Trees" not in email.body


def test_a_changed_vote_is_confirmed_in_plain_welsh(welsh_resident, envelope):
    for title in ["Trees", "Benches"]:
        ballot_cast(
            user=welsh_resident,
            envelope_id=envelope.pk,
            choices={envelope.proposals.get(title=title).pk: 1},
            idempotency_key=uuid.uuid4(),
        )
    changed = Message.objects.order_by("pk").last()
    send_ballot_confirmation(**changed.payload)
    [email] = mail.outbox
    assert "Mae eich pleidlais newydd dros gymdogaeth Splott wedi'i chadw." in email.body
    assert email.body.count("wedi'i") == 1


@pytest.mark.celery_worker
def test_a_real_worker_writes_the_confirmation_in_welsh(celery_worker, council, resident):
    User.objects.filter(pk=resident.pk).update(language="cy")
    envelope = make_voting_envelope(council)
    trees = envelope.proposals.get(title="Trees")
    ballot_cast(
        user=resident, envelope_id=envelope.pk, choices={trees.pk: 1}, idempotency_key=uuid.uuid4()
    )
    deliver.delay()
    wait_for(lambda: mail.outbox)
    assert "Mae eich pleidlais dros gymdogaeth Splott wedi'i chadw." in mail.outbox[0].body
    wait_for(lambda: Message.objects.get().sent_at)


def test_the_status_email_is_in_the_author_s_language(welsh_resident, envelope):
    proposal = ProposalFactory(
        envelope=envelope, author=welsh_resident, title="Benches", status="not_feasible",
        review_reason="The path is too narrow.",
    )  # fmt: skip
    assert proposal_status_email_send(proposal=proposal) is True
    email = mail.outbox[-1]
    assert "Eich syniad “Benches”: ni ellir ei wneud" in email.subject
    assert "Rheswm y cyngor: The path is too narrow." in email.body
    assert f"/cy/proposals/{proposal.pk}/" in email.body


def test_correspondence_uses_the_welsh_names_and_reasons_the_council_gave(welsh_resident, envelope):
    Neighbourhood.objects.filter(pk=envelope.neighbourhood_id).update(name_cy="Sblot")
    Round.objects.filter(pk=envelope.round_id).update(name_cy="Sblot yn Penderfynu")
    envelope.refresh_from_db()
    proposal = ProposalFactory(
        envelope=envelope, author=welsh_resident, title="Benches", status="not_feasible",
        review_reason="The path is too narrow.", review_reason_cy="Mae'r llwybr yn rhy gul.",
    )  # fmt: skip
    assert proposal_status_email_send(proposal=proposal) is True
    body = mail.outbox[-1].body
    assert "Rheswm y cyngor: Mae'r llwybr yn rhy gul." in body
    assert "Sblot" in body and "Splott" not in body
    english, welsh = letter_columns(envelope)
    assert "Splott" in english.heading and "Sblot yn Penderfynu" in welsh.paragraphs[0]


def test_an_idea_entered_for_a_resident_is_answered_in_the_language_it_was_written_in(envelope):
    proposal = ProposalFactory(
        envelope=envelope, resident_name="Mrs Jones", resident_email="j@example.test",
        status="feasible", language="cy",
    )  # fmt: skip
    assert proposal_status_email_send(proposal=proposal) is True
    assert "Ei statws nawr yw: Gellir ei wneud." in mail.outbox[-1].body


def test_letters_are_english_first_unless_the_council_is_welsh_first(council):
    envelope = make_voting_envelope(council, requires_voter_code=True)
    english_first = letter_columns(envelope)
    assert english_first[0].code_label == "Your voter code:"
    assert english_first[1].code_label == "Eich cod pleidleisio:"
    assert "/cy/" not in code_url(envelope.pk, CODES[0])

    council.welsh_first = True
    council.save()
    envelope.neighbourhood.council.refresh_from_db()
    welsh_first = letter_columns(envelope)
    assert [c.code_label for c in welsh_first] == ["Eich cod pleidleisio:", "Your voter code:"]
    assert welsh_first[0].heading == "Eich pleidlais ar sut mae arian Splott yn cael ei wario"
    rows = list(csv.reader(io.StringIO("".join(letters_csv_rows(envelope, CODES)))))
    assert f"/cy/envelopes/{envelope.pk}/vote/code/?code=" in rows[1][1]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils' pdftotext")
def test_the_letter_pdf_puts_welsh_first_for_a_welsh_first_council(council, tmp_path):
    council.welsh_first = True
    council.save()
    envelope = make_voting_envelope(council, requires_voter_code=True)
    pdf = tmp_path / "letters.pdf"
    with pdf.open("wb") as output:
        write_letters_pdf(envelope, CODES, output)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    first_line = next(line for line in text.splitlines() if line.strip())
    assert first_line.strip().startswith("Eich pleidlais")
    with translation.override("cy"):
        closing = localtime(envelope.round.voting_closes_at)
        closes = f"am {date_format(closing, 'fA').lower()} ar {date_format(closing, 'j F Y')}"
    # Read column by column (no -layout) for a sentence that wraps within its column.
    in_columns = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Mae pleidleisio'n cau {closes}." in " ".join(in_columns.split())
    assert f"/cy/envelopes/{envelope.pk}/vote/code/?code={CODES[0]}" in text
