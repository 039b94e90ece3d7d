from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from accounts.bilingual import is_welsh, sorted_by_name
from neighbourhoods.models import Neighbourhood, Postcode


def residence(postcode: str, neighbourhood_id) -> QuerySet[Postcode]:
    """The one test of residence: a home postcode is one of the neighbourhood's. As a
    query, so a page can ask it inside a bigger one (``Exists(residence(..., OuterRef))``)."""
    return Postcode.objects.filter(neighbourhood_id=neighbourhood_id, postcode=postcode)


def residence_sql(neighbourhood_column: str) -> str:
    """``residence`` as SQL text with one parameter (the postcode), for a hot query that
    cannot afford the ORM's building of a subquery: true when the postcode is one of the
    neighbourhood's in ``neighbourhood_column``. The same test as ``residence``."""
    return (
        "EXISTS (SELECT 1 FROM neighbourhoods_postcode WHERE "
        f"neighbourhoods_postcode.neighbourhood_id = {neighbourhood_column} "
        "AND neighbourhoods_postcode.postcode = %s)"
    )


def lives_in(user, neighbourhood_id: int) -> bool:
    """Whether the user lives in the neighbourhood, for suggesting ideas and for voting."""
    return bool(user.home_postcode) and residence(user.home_postcode, neighbourhood_id).exists()


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


DISTRICT_LIST_LIMIT = 20


def neighbourhoods_in_district(district: str) -> list[Neighbourhood]:
    """Neighbourhoods with a postcode in the district (the postcode's first half, like
    "CF24"), for someone who typed only that, by the names the page shows; at most
    DISTRICT_LIST_LIMIT, in one query."""
    welsh = is_welsh(translation.get_language())
    shown = Coalesce(NullIf("name_cy", Value("")), "name") if welsh else F("name")
    found = (
        Neighbourhood.objects.filter(postcodes__postcode__startswith=f"{district} ")
        .select_related("council")
        .annotate(shown_name=shown)
        .distinct()
        .order_by("shown_name", "council__name")[:DISTRICT_LIST_LIMIT]
    )
    return sorted_by_name(found, lambda neighbourhood: neighbourhood.local.name)
