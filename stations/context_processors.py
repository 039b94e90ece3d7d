import functools


def anchor_staff(request):
    """Whether the signed-in person works for an anchor organisation, so the header can
    link to their polling stations and paper ballots. Asked only when the header needs it
    (a callable), at most once a request (the header asks for its cache key and again
    when drawn), and only of staff accounts: residents cost no query."""

    @functools.cache
    def is_anchor_staff() -> bool:
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated and user.is_anchor_staff

    return {"is_anchor_staff": is_anchor_staff}
