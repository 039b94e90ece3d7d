import csv
import io
import re

import numpy as np
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from budgets.models import Round
from tests.voting.conftest import make_voting_envelope
from voting.letters import code_url, letters_csv_rows, qr_image, write_letters_pdf
from voting.models import VoterCodeBatch
from voting.services import voter_codes_generate

CODES = ["ABCD-EFGH-JKMN", "PQRS-TUVW-XYZ2", "3456-789A-BCDE"]


@pytest.fixture
def coded_envelope(council):
    return make_voting_envelope(council, requires_voter_code=True)


def test_the_qr_code_opens_the_code_page_with_the_code_filled_in(db):
    url = code_url(7, "ABCD-EFGH-JKMN")
    image = qr_image(url).resize((264, 264), Image.NEAREST)
    framed = Image.new("L", (320, 320), 255)
    framed.paste(image, (28, 28))
    assert zxingcpp.read_barcode(np.asarray(framed)).text == url
    assert url.endswith("/envelopes/7/vote/code/?code=ABCD-EFGH-JKMN")


def test_the_pdf_has_one_page_per_code(coded_envelope):
    output = io.BytesIO()
    written = write_letters_pdf(coded_envelope, CODES, output)
    pdf = output.getvalue()
    assert written == 3
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 3


def test_the_pdf_reports_its_progress(coded_envelope, monkeypatch):
    monkeypatch.setattr("voting.letters.PROGRESS_EVERY", 2)
    seen = []
    write_letters_pdf(coded_envelope, CODES * 2, io.BytesIO(), progress=seen.append)
    assert seen == [2, 4, 6]


def test_the_print_house_csv_has_a_row_per_code_with_formulas_escaped(coded_envelope):
    coded_envelope.neighbourhood.name = "=HYPERLINK(1)"
    rows = list(csv.reader(io.StringIO("".join(letters_csv_rows(coded_envelope, CODES)))))
    assert rows[0][:3] == ["code", "url", "neighbourhood"]
    assert [row[0] for row in rows[1:]] == CODES
    assert rows[1][1] == code_url(coded_envelope.pk, CODES[0])
    assert rows[1][2] == "'=HYPERLINK(1)"


@pytest.mark.django_db(transaction=True)
def test_an_officer_gets_the_letters_made_by_a_worker(celery_worker, officer_client, council):
    envelope = make_voting_envelope(council, requires_voter_code=True)
    response = officer_client.post(
        reverse("admin:voting_votercodebatch_add"), {"envelope": envelope.pk, "size": 4}
    )
    batch = VoterCodeBatch.objects.get()
    assert response["Location"] == reverse("admin:voting_votercodebatch_letters", args=[batch.pk])
    page = officer_client.get(response["Location"]).content.decode()
    assert "Download the codes (CSV)" in page

    def made():
        batch.refresh_from_db()
        return bool(batch.letters_pdf)

    assert wait_for(made)
    assert batch.letters_made == 4
    page = officer_client.get(response["Location"]).content.decode()
    assert "Download the letters (PDF)" in page
    pdf = officer_client.get(reverse("admin:voting_votercodebatch_letters_pdf", args=[batch.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    codes = officer_client.get(reverse("admin:voting_votercodebatch_letters_csv", args=[batch.pk]))
    assert len(b"".join(codes.streaming_content).decode().splitlines()) == 5


def wait_for(condition, seconds=60):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db
def test_asking_for_no_codes_is_a_message_not_a_refusal(officer_client, coded_envelope):
    response = officer_client.post(
        reverse("admin:voting_votercodebatch_add"), {"envelope": coded_envelope.pk, "size": 0}
    )
    assert response.status_code == 200
    assert "Make between 1 and 50,000 codes at a time." in response.content.decode()
    assert VoterCodeBatch.objects.exists() is False


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["letters_pdf", "letters_csv"])
def test_other_councils_cannot_download_the_letters(outsider_client, coded_envelope, name):
    batch = voter_codes_generate(envelope_id=coded_envelope.pk, size=2, created_by=None)
    url = reverse(f"admin:voting_votercodebatch_{name}", args=[batch.pk])
    assert outsider_client.get(url).status_code == 404


def test_the_welsh_column_of_the_letter_is_in_welsh(coded_envelope):
    # Found by a trial: the "Welsh and English" letter was English twice.
    from voting.letters import letter_text

    welsh, english = letter_text(coded_envelope, "cy"), letter_text(coded_envelope, "en")
    for cy, en in [
        (welsh.heading, english.heading),
        (welsh.code_label, english.code_label),
        (welsh.closes, english.closes),
        *zip(welsh.paragraphs, english.paragraphs, strict=True),
    ]:
        assert cy != en
    assert welsh.code_label.startswith("Eich cod pleidleisi")
    assert "sganiwch y cod QR" in welsh.paragraphs[1]


def test_the_letter_gives_the_hour_voting_closes_as_well_as_the_day(coded_envelope):
    # Found by a trial: the letter gave only the day, for a round closing at 9am.
    from tests.voting.test_confirmation_email import IN_JULY
    from voting.letters import letter_text

    Round.objects.filter(pk=coded_envelope.round_id).update(voting_closes_at=IN_JULY)
    coded_envelope.refresh_from_db()
    # 16:30 UTC in July is 5:30pm in the UK, whatever the server's own zone.
    assert letter_text(coded_envelope, "en-gb").closes.startswith(
        f"Voting closes at 5:30pm on 3 July {IN_JULY.year}."
    )
    assert letter_text(coded_envelope, "cy").closes.startswith(
        f"Mae pleidleisio'n cau am 5:30yh ar 3 Gorffenaf {IN_JULY.year}."
    )
