"""Voter-code letters: a print-ready PDF (one letter a page, in Welsh and English, with a
QR code that opens the code page) and a CSV of the same codes for a print house.

Fast enough for a whole neighbourhood: the text every letter shares is drawn once as a
PDF form and reused on each page; each page adds only its code, its address and its QR
code, a one-bit image of one pixel per module scaled up (bench/letters.py measures it).
"""

import csv
import secrets
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlencode

import numpy as np
import zxingcpp
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fontpkg_noto_sans import ROOT as NOTO_SANS_ROOT
from PIL import Image
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from budgets.money import format_pence
from config.spreadsheets import escape_formula
from config.tasks import start_after_commit
from voting.closing import closing_date, closing_time

# Images are stored compressed but not ASCII-85 encoded: a smaller file, made faster.
rl_config.useA85 = 0
FONT = "NotoSans"
PROGRESS_EVERY = 500
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
COLUMN_GAP = 10 * mm
COLUMN_WIDTH = (PAGE_WIDTH - 2 * MARGIN - COLUMN_GAP) / 2
QR_SIZE = 45 * mm


@dataclass(frozen=True)
class LetterText:
    """What every letter of one envelope says, in one language."""

    heading: str
    paragraphs: list[str]
    code_label: str
    closes: str


def code_url(envelope_id: int, code: str, language: str = settings.LANGUAGE_CODE) -> str:
    """The code page's address; ``language`` picks /cy/ for a council that is Welsh first."""
    with translation.override(language):
        path = reverse("voting-code", kwargs={"envelope_id": envelope_id})
    return f"{settings.SITE_URL}{path}?{urlencode({'code': code})}"


def letter_text(envelope, language: str) -> LetterText:
    with translation.override(language):
        place, round_ = envelope.neighbourhood.local.name, envelope.round.local.name
        # The hour matters as much as the day: voting may close in the morning.
        closes_at = envelope.round.voting_closes_at
        closes = {"date": closing_date(closes_at), "time": closing_time(closes_at)}
        return LetterText(
            heading=_("Your vote on how %(place)s's money is spent") % {"place": place},
            paragraphs=[
                _(
                    "%(amount)s has been handed to %(place)s in %(round)s. The people who "
                    "live here decide what it pays for."
                )
                % {"amount": format_pence(envelope.amount_pence), "place": place, "round": round_},
                _(
                    "To vote online, scan the QR code or go to the address below, sign in "
                    "with your email address and enter your voter code. You can also vote "
                    "in person at a drop-in event."
                ),
            ],
            code_label=_("Your voter code:"),
            closes=_(
                "Voting closes at %(time)s on %(date)s. This code can be used by one person, once."
            )
            % closes,
        )


def letter_columns(envelope) -> list[LetterText]:
    """Both languages of a letter, left column first: Welsh first when the council asks."""
    return [
        letter_text(envelope, language)
        for language in envelope.neighbourhood.council.document_languages
    ]


def register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        # Noto Sans has every Welsh letter (ŵ, ŷ), which the PDF standard fonts lack.
        path = NOTO_SANS_ROOT / "files" / "NotoSans[wdth,wght].ttf"
        pdfmetrics.registerFont(TTFont(FONT, str(path)))


def wrapped_lines(text: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and pdfmetrics.stringWidth(candidate, FONT, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _draw_column(pdf, text: LetterText, x: float, top: float) -> None:
    y = top
    for line in wrapped_lines(text.heading, 15, COLUMN_WIDTH):
        pdf.setFont(FONT, 15)
        pdf.drawString(x, y, line)
        y -= 19
    y -= 6
    for paragraph in [*text.paragraphs, text.closes]:
        for line in wrapped_lines(paragraph, 10.5, COLUMN_WIDTH):
            pdf.setFont(FONT, 10.5)
            pdf.drawString(x, y, line)
            y -= 14
        y -= 8


def qr_image(data: str) -> Image.Image:
    """The QR code (medium error correction) as one pixel per module, no quiet zone.
    zxing-cpp makes it in C++, a fraction of a millisecond each."""
    barcode = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return Image.fromarray(np.asarray(barcode.to_image(scale=1, add_quiet_zones=False)))


def write_letters_pdf(
    envelope,
    codes: Iterable[str],
    output: BinaryIO,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one A4 letter per code to ``output``; returns how many were written."""
    register_font()
    pdf = canvas.Canvas(output, pagesize=A4, pageCompression=1, invariant=1)
    pdf.setTitle(_("Voter code letters"))
    council = envelope.neighbourhood.council
    first, second = letter_columns(envelope)
    pdf.beginForm("letter")
    _draw_column(pdf, first, MARGIN, PAGE_HEIGHT - MARGIN - 15)
    _draw_column(pdf, second, MARGIN + COLUMN_WIDTH + COLUMN_GAP, PAGE_HEIGHT - MARGIN - 15)
    pdf.endForm()
    labels = [first.code_label, second.code_label]
    written = 0
    for code in codes:
        url = code_url(envelope.pk, code, council.link_language)
        pdf.doForm("letter")
        qr_y = 95 * mm
        # One pixel per module scaled up: PDF viewers and printers keep its edges sharp.
        pdf.drawImage(ImageReader(qr_image(url)), MARGIN, qr_y, QR_SIZE, QR_SIZE)
        text_x = MARGIN + QR_SIZE + 10 * mm
        pdf.setFont(FONT, 11)
        pdf.drawString(text_x, qr_y + QR_SIZE - 12, " / ".join(labels))
        pdf.setFont(FONT, 24)
        pdf.drawString(text_x, qr_y + QR_SIZE - 44, code)
        pdf.setFont(FONT, 9)
        pdf.drawString(text_x, qr_y + 6, url)
        pdf.showPage()
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    pdf.save()
    return written


class _Echo:
    def write(self, value):
        return value


def letters_csv_rows(envelope, codes: Iterable[str]) -> Iterator[str]:
    """The print house's file, a line at a time: one row per letter, with the text every
    letter shares repeated so a mail merge needs nothing else."""
    writer = csv.writer(_Echo())
    cy, en = letter_text(envelope, "cy"), letter_text(envelope, "en-gb")
    yield writer.writerow(["code", "url", "neighbourhood", "round", "closes_en", "closes_cy"])
    shared = [envelope.neighbourhood.name, envelope.round.name, en.closes, cy.closes]
    shared = [escape_formula(value) for value in shared]
    language = envelope.neighbourhood.council.link_language
    for code in codes:
        yield writer.writerow([code, code_url(envelope.pk, code, language), *shared])


# --- Making the letters (a Celery task calls letters_make) ----------------------------


def _codes(batch) -> Iterator[str]:
    return batch.codes.order_by("code").values_list("code", flat=True).iterator(chunk_size=2000)


@transaction.atomic
def letters_request(*, batch_id: int) -> None:
    """Ask for a batch's PDF letters; the task starts once this is committed."""
    from voting.models import VoterCodeBatch

    batch = VoterCodeBatch.objects.select_for_update().get(pk=batch_id)
    if batch.letters_pdf:
        return
    batch.letters_requested_at = timezone.now()
    batch.letters_made = 0
    batch.save(update_fields=["letters_requested_at", "letters_made"])
    start_after_commit("voting.make_letters", batch_id=batch_id)


def letters_make(*, batch_id: int) -> None:
    """Write the batch's PDF to the letters storage, counting progress as it goes. Safe
    to run twice: a batch that has its file is left alone."""
    from voting.models import VoterCodeBatch, letters_storage

    batch = VoterCodeBatch.objects.select_related("envelope__neighbourhood", "envelope__round").get(
        pk=batch_id
    )
    if batch.letters_pdf:
        return

    def progress(made: int) -> None:
        VoterCodeBatch.objects.filter(pk=batch_id).update(letters_made=made)

    with tempfile.TemporaryFile() as output:
        made = write_letters_pdf(batch.envelope, _codes(batch), output, progress=progress)
        output.seek(0)
        name = f"letters/batch-{batch.pk}-{secrets.token_hex(8)}.pdf"
        stored = letters_storage().save(name, File(output))
    VoterCodeBatch.objects.filter(pk=batch_id).update(letters_pdf=stored, letters_made=made)


def letters_csv(batch) -> Iterator[str]:
    return letters_csv_rows(batch.envelope, _codes(batch))
