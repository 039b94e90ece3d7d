from django.db import transaction

from voting.services import voter_forget


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete an account. Its ballots stay counted but can no longer be tied to anyone;
    ideas it suggested stay, shown without a name."""
    voter_forget(user=user)
    user.delete()
