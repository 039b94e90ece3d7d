from neighbourhoods.models import Neighbourhood, Postcode


def lives_in(user, neighbourhood_id: int) -> bool:
    """Whether the user's home postcode is one of the neighbourhood's: the one test of
    residence, for suggesting ideas and for voting."""
    return (
        bool(user.home_postcode)
        and (
            Postcode.objects.filter(neighbourhood_id=neighbourhood_id, postcode=user.home_postcode)
        ).exists()
    )


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
