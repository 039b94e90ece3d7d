import factory

from neighbourhoods.models import AnchorOrganisation, Council, Neighbourhood, Postcode


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    slug = factory.Sequence(lambda n: f"neighbourhood-{n}")
    population = 5000


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    council = factory.SelfAttribute("neighbourhood.council")
    postcode = "CF10 1EP"


class AnchorOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnchorOrganisation

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Community Hub {n}")
