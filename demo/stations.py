"""A demo polling station: the demo anchor runs drop-in voting for Green Streets 2026."""

from datetime import timedelta

from django.utils import timezone

from budgets.models import Envelope, Round
from demo.welsh import with_welsh
from neighbourhoods.models import AnchorOrganisation
from stations.models import PollingStation


def seed_demo_stations(council, summary) -> None:
    round_ = Round.objects.filter(fund__council=council, slug="green-streets-2026").first()
    anchor = AnchorOrganisation.objects.filter(council=council, name="Splott Community Hub").first()
    if round_ is None or anchor is None:
        return
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    station, created = PollingStation.objects.get_or_create(
        round=round_,
        anchor=anchor,
        place="Splott Community Hub, drop-in voting",
        defaults={
            "address": "Splott Road, Cardiff",
            "opens_at": start,
            "closes_at": max(round_.voting_closes_at, start + timedelta(days=1)),
            "idle_seconds": 120,
        },
    )
    summary.note(created)
    with_welsh(
        station,
        place_cy="Hyb Cymunedol Sblot, pleidleisio galw heibio",
        address_cy="Heol Sblot, Caerdydd",
    )
    served = Envelope.objects.filter(
        round=round_, neighbourhood__in=anchor.neighbourhoods.all()
    ).values_list("neighbourhood", flat=True)
    station.neighbourhoods.add(*served)
