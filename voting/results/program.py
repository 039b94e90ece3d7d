"""The counting program as a download of its own, so that anyone can count a published
result again without this project: ``counting-program.zip`` holds the ``counting``
package (``voting/counting``: plain Python, no Django) exactly as it runs here.

The zip is built from the package's files when first asked for and is the same, byte for
byte, every time (fixed file order, dates and permissions), so the results pages can show
its SHA-256 and a reader can check the copy they downloaded.
"""

import hashlib
import io
import zipfile
from functools import cache

from django.utils.text import slugify
from django.utils.translation import pgettext

from accounts.bilingual import ENGLISH
from voting.results.models import EnvelopeCount
from voting.results.selectors import counting_source_files

ZIP_NAME = "counting-program.zip"
PACKAGE = "counting"
# The earliest date a zip file can hold: the files' own dates would change the bytes.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


@cache
def counting_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in counting_source_files().items():
            info = zipfile.ZipInfo(f"{PACKAGE}/{name}", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return out.getvalue()


@cache
def counting_zip_sha256() -> str:
    return hashlib.sha256(counting_zip()).hexdigest()


def counting_zip_kilobytes() -> int:
    return max(1, round(len(counting_zip()) / 1024))


def ballot_file_name(outcome: EnvelopeCount, extension: str) -> str:
    """The .pb file's name, the same in every language: the recount command names it."""
    envelope = outcome.envelope
    return f"{envelope.round.slug}-{envelope.neighbourhood.slug}-ballots.{extension}"


def spreadsheet_file_name(outcome: EnvelopeCount) -> str:
    """The CSV file's name, in the page's language like its headings: on a Welsh page,
    with the neighbourhood's Welsh name ("2025-26-glan-yr-afon-papurau-pleidleisio.csv")."""
    envelope = outcome.envelope
    name = envelope.neighbourhood.local.name
    # An English name keeps the officer's own slug, as in the .pb file's name.
    place = envelope.neighbourhood.slug if name.language == ENGLISH else slugify(name)
    ballots = slugify(pgettext("ballots CSV file name", "ballots"))
    return f"{envelope.round.slug}-{place or envelope.neighbourhood.slug}-{ballots}.csv"


def recount_command(outcome: EnvelopeCount) -> str:
    """The command that counts the published .pb file again exactly as this count did:
    its rule, its thresholds and its tie-break, printing the result in plain words."""
    details = outcome.details or {}
    words = ["python", "-m", PACKAGE, ballot_file_name(outcome, "pb"), "--rule", outcome.rule]
    if details.get("min_votes"):
        words += ["--min-votes", str(details["min_votes"])]
    if details.get("cost_share_divisor"):
        words += ["--cost-share-divisor", str(details["cost_share_divisor"])]
    if outcome.tie_break != "id":
        words += ["--tie-break", outcome.tie_break]
    return " ".join([*words, "--check"])
