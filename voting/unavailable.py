"""The page for a ballot the database failed to store: exactly what happened, and a
button that sends the same form again (its submission key makes that safe)."""

from config.errors import unavailable_page

# Sent again as they came; the page adds its own CSRF token.
RESENT_FIELDS = ("choice", "submission", "age_confirmed")


def not_stored_page(request, envelope_id: int, *, known: bool):
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name in RESENT_FIELDS or name.startswith("points-")
        for value in values
    ]
    context = {"envelope_id": envelope_id, "known": known, "fields": fields}
    return unavailable_page(request, "voting/not_stored.html", context)
