"""Writes to neighbourhoods and their postcodes."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.postcodes import normalise_postcode
from neighbourhoods.models import Neighbourhood, Postcode

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass
class Rejection:
    line: int
    value: str
    reason: str


@dataclass
class PostcodeImportReport:
    added: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 5 MB. Split it into smaller files."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not saved as UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from None


@transaction.atomic
def postcodes_import(*, neighbourhood_id: int, raw: bytes) -> PostcodeImportReport:
    """Add the postcodes in a CSV file (first column) to a neighbourhood.

    Good rows are added; every other row is reported with its line number and the reason.
    A postcode already in another neighbourhood of the same council is refused.
    """
    neighbourhood = Neighbourhood.objects.select_related("council").get(pk=neighbourhood_id)
    report = PostcodeImportReport()
    rows = list(csv.reader(io.StringIO(_decode(raw))))
    if rows and rows[0] and rows[0][0].strip().lower() in {"postcode", "postcodes", "post code"}:
        rows[0] = []  # a header row

    seen: dict[str, int] = {}
    candidates: list[tuple[int, str, str]] = []
    for line, row in enumerate(rows, start=1):
        value = row[0].strip() if row else ""
        if not value:
            if row and any(cell.strip() for cell in row):
                report.rejected.append(
                    Rejection(line, ",".join(row), _("The first column is empty."))
                )
            continue
        try:
            postcode = normalise_postcode(value)
        except ValidationError:
            report.rejected.append(Rejection(line, value, _("This is not a real UK postcode.")))
            continue
        if postcode in seen:
            reason = _("Repeats line %(line)s.") % {"line": seen[postcode]}
            report.rejected.append(Rejection(line, value, reason))
            continue
        seen[postcode] = line
        candidates.append((line, value, postcode))

    owners = {
        postcode: (owner_id, owner_name)
        for postcode, owner_id, owner_name in Postcode.objects.filter(
            council=neighbourhood.council, postcode__in=[c[2] for c in candidates]
        ).values_list("postcode", "neighbourhood_id", "neighbourhood__name")
    }
    new = []
    for line, value, postcode in candidates:
        owner_id, owner_name = owners.get(postcode, (None, None))
        if owner_id == neighbourhood.pk:
            report.already_there.append(postcode)
        elif owner_id is not None:
            reason = _("Already belongs to %(name)s.") % {"name": owner_name}
            report.rejected.append(Rejection(line, value, reason))
        else:
            new.append(
                Postcode(
                    neighbourhood=neighbourhood, council=neighbourhood.council, postcode=postcode
                )
            )
            report.added.append(postcode)
    bulk_create_with_history(new, Postcode)
    report.rejected.sort(key=lambda r: r.line)
    return report


def postcode_check_free(*, council_id: int, postcode: str) -> None:
    """Refuse a postcode that already belongs to a neighbourhood of this council."""
    owner = (
        Postcode.objects.filter(council_id=council_id, postcode=postcode)
        .select_related("neighbourhood")
        .first()
    )
    if owner is not None:
        raise ValidationError(
            _("%(postcode)s already belongs to %(name)s.")
            % {"postcode": postcode, "name": owner.neighbourhood.name}
        )


@transaction.atomic
def postcode_add(*, neighbourhood_id: int, postcode: str) -> Postcode:
    neighbourhood = Neighbourhood.objects.select_related("council").get(pk=neighbourhood_id)
    normal = normalise_postcode(postcode)
    postcode_check_free(council_id=neighbourhood.council_id, postcode=normal)
    record = Postcode(neighbourhood=neighbourhood, council=neighbourhood.council, postcode=normal)
    record.full_clean()
    record.save()
    return record
