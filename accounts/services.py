from django.db import transaction


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete an account. Its ballots stay counted but can no longer be tied to anyone
    (voting's pre_delete receiver unlinks them); ideas it suggested stay, shown without
    a name."""
    user.delete()
