"""Writes to neighbourhoods, their postcodes, and anchor organisations' staff."""

import csv
import io
from dataclasses import dataclass, field

from allauth.account.forms import default_token_generator as password_reset_tokens
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

import outbox
from accounts.language import in_language_of
from accounts.models import User
from accounts.postcodes import normalise_postcode
from neighbourhoods.models import AnchorOrganisation, Neighbourhood, Postcode

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
    # PDF, spreadsheet (xlsx, ods, xls) and other binary files are not CSV, whatever their name.
    if raw.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in raw[:4096]:
        raise ValidationError(
            _(
                "This file is not a CSV file. Save the list as “CSV UTF-8” "
                "(one postcode a line) and try again."
            )
        )
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


# --- Anchor organisations' staff -----------------------------------------------------


def anchor_staff_invitation_send(*, user_id: int, anchor_id: int, invited_by_id: int) -> None:
    """The invitation email: who invited them, for which anchor, and the link to choose a
    password (made now, so it is fresh when it arrives)."""
    user = User.objects.get(pk=user_id)
    context = {
        "user": user,
        "anchor": AnchorOrganisation.objects.select_related("council").get(pk=anchor_id),
        "invited_by": User.objects.get(pk=invited_by_id),
        "link": _invitation_link(user),
        "kiosk": f"{settings.SITE_URL}{reverse('stations-kiosk')}",
    }
    template = "neighbourhoods/email/anchor_staff_invitation"
    # Written in the reader's language, whichever worker sends it.
    with in_language_of(user):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        message = render_to_string(f"{template}.txt", context).strip()
    send_mail(subject, message, None, [user.email])


def _invitation_link(user) -> str:
    """A link to set a first password; it works once, like allauth's password reset."""
    key = password_reset_tokens.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def anchor_staff_invite(*, anchor_id: int, email: str, display_name: str, invited_by) -> User:
    """Give someone a staff account for an anchor organisation and email them a link to
    set their password; two-factor sign-in is asked for at their first sign-in."""
    anchor = AnchorOrganisation.objects.select_related("council").get(pk=anchor_id)
    if not invited_by.is_superuser and invited_by.council_id != anchor.council_id:
        raise ValidationError(_("You can only invite staff to your own council's anchors."))
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and (not user.is_staff or user.council_id or user.is_superuser):
        raise ValidationError(
            _(
                "The address %(email)s already has an account that is not an anchor staff "
                "account. Ask them for another email address for their work."
            )
            % {"email": email}
        )
    if user is not None and user.anchor_organisations.exclude(council=anchor.council).exists():
        raise ValidationError(
            _("%(email)s already works for another council's anchor organisation.")
            % {"email": email}
        )
    if user is None:
        user = User.objects.create_user(email, display_name=display_name.strip(), is_staff=True)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    anchor.staff.add(user)
    # Written with the account, sent once it commits (outbox).
    outbox.enqueue(
        "neighbourhoods.anchor_staff_invitation",
        user_id=user.pk,
        anchor_id=anchor.pk,
        invited_by_id=invited_by.pk,
    )
    return user


@transaction.atomic
def anchor_staff_set_active(*, user_id: int, active: bool, officer) -> User:
    """Let an anchor's member of staff sign in again, or stop them signing in at all."""
    user = User.objects.select_for_update().get(pk=user_id)
    anchors = user.anchor_organisations.all()
    if not officer.is_superuser and (
        not anchors.exists() or anchors.exclude(council=officer.council_id).exists()
    ):
        raise ValidationError(
            _("%(email)s is not on the staff of your council's anchors.") % {"email": user.email}
        )
    if user.is_superuser or user.council_id:
        raise ValidationError(_("Only anchor staff accounts are managed here."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
