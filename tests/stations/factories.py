from datetime import timedelta

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from stations.models import PollingStation, StationSession
from tests.neighbourhoods.factories import AnchorOrganisationFactory

STAFF_PIN = "4826"


class PollingStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingStation
        skip_postgeneration_save = True

    round = None
    anchor = factory.SubFactory(
        AnchorOrganisationFactory, council=factory.SelfAttribute("..round.fund.council")
    )
    place = factory.Sequence(lambda n: f"Community Centre {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=8))
    idle_seconds = 120

    @factory.post_generation
    def neighbourhoods(self, create, extracted, **kwargs):
        for neighbourhood in extracted or []:
            self.neighbourhoods.add(neighbourhood)
            self.anchor.neighbourhoods.add(neighbourhood)


class StationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationSession

    station = None
    opened_by = None
    staff_pin = factory.LazyFunction(lambda: make_password(STAFF_PIN))
