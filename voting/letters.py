"""Printable voter-code letters, each with a QR code that opens the code page."""

from dataclasses import dataclass
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Letter:
    code: str
    url: str
    qr_svg: SafeString


def code_url(envelope_id: int, code: str) -> str:
    path = reverse("voting-code", kwargs={"envelope_id": envelope_id})
    return f"{settings.SITE_URL}{path}?{urlencode({'code': code})}"


def qr_svg(data: str) -> SafeString:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    # The SVG is generated from our own URL, never from user input, so it is safe markup.
    return mark_safe(image.to_string(encoding="unicode"))


def letters_for(batch) -> list[Letter]:
    letters = []
    for code in batch.codes.order_by("code").values_list("code", flat=True):
        url = code_url(batch.envelope_id, code)
        letters.append(Letter(code=code, url=url, qr_svg=qr_svg(url)))
    return letters
