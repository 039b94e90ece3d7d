from neighbourhoods.models import Neighbourhood


def neighbourhood_for_postcode(postcode: str) -> Neighbourhood | None:
    """The neighbourhood covering a normalised postcode, or None.

    A postcode can sit in one neighbourhood per council; the first council by name wins
    where two councils both claim it (a boundary quirk, not expected in practice).
    """
    return (
        Neighbourhood.objects.for_postcode(postcode)
        .select_related("council")
        .order_by("council__name")
        .first()
    )
