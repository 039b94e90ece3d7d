"""Demo data for trying the platform locally. Idempotent: a second run changes nothing."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from budgets.models import Envelope, Fund, Round
from demo.proposals import seed_demo_proposals
from demo.stations import seed_demo_stations
from demo.voting import seed_demo_results, seed_demo_voting
from demo.welsh import with_welsh
from neighbourhoods.models import AnchorOrganisation, Council, Neighbourhood, Postcode

DEMO_PASSWORD = "demo-password-not-for-production"

NEIGHBOURHOODS = [
    # name, Welsh name, slug, population, deprivation weight, postcodes
    ("Riverside", "Glan-yr-afon", "riverside", 6200, "1.350",
     ["CF11 6AA", "CF11 6AB", "CF11 6AD", "CF11 6AE"]),
    ("Splott", "Sblot", "splott", 8400, "1.600", ["CF24 2AA", "CF24 2AB", "CF24 2AD", "CF24 2AE"]),
    ("Llandaff North", "Ystum Taf", "llandaff-north", 4900, "0.900",
     ["CF14 2AA", "CF14 2AB", "CF14 2AD"]),
]  # fmt: skip

USERS = [
    # role, email, display name, postcode, staff
    ("officer", "officer@demo.test", "Olwen Officer", "", True),
    ("anchor staff", "anchor@demo.test", "Aled Anchor", "", True),
    ("resident", "resident@demo.test", "Rhian Resident", "CF24 2AB", False),
]


@dataclass
class SeedSummary:
    created: int = 0
    existing: int = 0
    sign_ins: list[tuple[str, str]] = field(default_factory=list)
    # Unused voter codes for Splott's open round, for trying the polling station.
    voter_codes: list[str] = field(default_factory=list)

    def note(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1


def _round_dates(now: datetime) -> dict[str, datetime]:
    """Dates that keep the demo round in its proposals phase whenever the demo is run."""
    start = now.replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=14)
    return {
        "proposals_open_at": start,
        "review_starts_at": start + timedelta(days=42),
        "voting_opens_at": start + timedelta(days=56),
        "voting_closes_at": start + timedelta(days=70),
    }


@transaction.atomic
def seed_demo() -> SeedSummary:
    summary = SeedSummary()
    council, created = Council.objects.get_or_create(
        slug="cardiff-demo",
        defaults={
            "name": "Cardiff Demo Council",
            "data_controller": "Cardiff Demo Council (a made-up council for the demo)",
            "privacy_contact": "dpo@cardiff-demo.test",
            "retention": "Accounts: until you delete them, or 2 years after your last sign-in.\n"
            "Ballots: with the published results, for 6 years.",
            "accessibility_contact": "accessibility@cardiff-demo.test",
        },
    )
    summary.note(created)
    # The accessibility contact is left without Welsh: Welsh pages show it marked English.
    with_welsh(
        council,
        name_cy="Cyngor Demo Caerdydd",
        data_controller_cy="Cyngor Demo Caerdydd (cyngor dychmygol ar gyfer y demo)",
        privacy_contact_cy="dpo@cardiff-demo.test",
        retention_cy="Cyfrifon: nes i chi eu dileu, neu 2 flynedd ar ôl i chi fewngofnodi "
        "ddiwethaf.\nPapurau pleidleisio: gyda'r canlyniadau a gyhoeddwyd, am 6 blynedd.",
    )

    neighbourhoods = []
    for name, name_cy, slug, population, weight, postcodes in NEIGHBOURHOODS:
        neighbourhood, created = Neighbourhood.objects.get_or_create(
            council=council,
            slug=slug,
            defaults={"name": name, "population": population, "deprivation_weight": weight},
        )
        summary.note(created)
        with_welsh(neighbourhood, name_cy=name_cy)
        neighbourhoods.append(neighbourhood)
        for postcode in postcodes:
            _, created = Postcode.objects.get_or_create(
                council=council, postcode=postcode, defaults={"neighbourhood": neighbourhood}
            )
            summary.note(created)

    anchor, created = AnchorOrganisation.objects.get_or_create(
        council=council, name="Splott Community Hub"
    )
    summary.note(created)
    with_welsh(anchor, name_cy="Hyb Cymunedol Sblot")
    anchor.neighbourhoods.add(*neighbourhoods[:2])

    fund, created = Fund.objects.get_or_create(
        council=council,
        name="Shared Prosperity Neighbourhood Fund 2026/27",
        defaults={
            "total_pence": 300_000_00,
            "source": "UK Shared Prosperity Fund allocation, devolved to neighbourhoods.",
        },
    )
    summary.note(created)
    with_welsh(
        fund,
        name_cy="Cronfa Ffyniant Gyffredin y Cymdogaethau 2026/27",
        source_cy="Dyraniad o Gronfa Ffyniant Gyffredin y DU, wedi'i ddatganoli i gymdogaethau.",
    )

    round_, created = Round.objects.get_or_create(
        fund=fund,
        slug="2026-27",
        defaults={
            "name": "Neighbourhood Decides 2026/27",
            "phase": Round.Phase.PROPOSALS_OPEN,
            **_round_dates(timezone.now()),
        },
    )
    summary.note(created)
    with_welsh(round_, name_cy="Cymdogaethau'n Penderfynu 2026/27")
    for neighbourhood, amount in zip(
        neighbourhoods, [90_000_00, 130_000_00, 80_000_00], strict=True
    ):
        _, created = Envelope.objects.get_or_create(
            round=round_, neighbourhood=neighbourhood, defaults={"amount_pence": amount}
        )
        summary.note(created)

    for role, email, display_name, postcode, staff in USERS:
        user = User.objects.filter(email=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                email,
                password=DEMO_PASSWORD if staff else None,
                display_name=display_name,
                home_postcode=postcode,
                is_staff=staff,
                council=council if role == "officer" else None,
            )
            # Demo addresses count as verified so officers can sign in with a password at once.
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        summary.note(created)
        if role == "anchor staff" and user is not None:
            anchor.staff.add(user)
        summary.sign_ins.append((role, email))
    seed_demo_proposals(round_, summary)
    seed_demo_voting(council, neighbourhoods, summary)
    seed_demo_results(council, neighbourhoods, summary)
    seed_demo_stations(council, summary)
    return summary
