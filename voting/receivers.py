"""What voting does when something it depends on changes."""

from django.conf import settings
from django.db.models.signals import pre_delete

from voting.services import voter_forget


def _forget_voter(sender, instance, **kwargs) -> None:
    # However an account is deleted (the resident, an officer in the admin, a bulk
    # delete), its ballots stay counted but are first unlinked from it.
    voter_forget(user=instance)


def connect() -> None:
    pre_delete.connect(
        _forget_voter, sender=settings.AUTH_USER_MODEL, dispatch_uid="voting-forget-voter"
    )
