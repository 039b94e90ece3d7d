"""The stations' side of the register (``voting.Participation``): one row per person per
round, whatever the channel; voters checked in person are on it without an account.

Only this module reads or writes the register for stations, so it is the one place
that knows its shape.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F
from django.utils import timezone

from stations.identity import Identity, normalise_name
from stations.models import DeclaredVoter
from voting.models import Channel, Participation


class AlreadyVoted(Exception):
    """This person is on the round's register already."""


def _in_round(round_id: int):
    return Participation.objects.filter(round_id=round_id)


def channel_of_account(*, round_id: int, account_id: int) -> str | None:
    return _in_round(round_id).filter(voter_id=account_id).values_list("channel", flat=True).first()


def channel_of(*, round_id: int, account_id=None, code="", identity: Identity | None = None):
    if account_id:
        return channel_of_account(round_id=round_id, account_id=account_id)
    if identity is not None:
        return (
            DeclaredVoter.objects.filter(
                round_id=round_id,
                name=identity.name,
                postcode=identity.postcode,
                date_of_birth=identity.date_of_birth,
            )
            .values_list("participation__channel", flat=True)
            .first()
        )
    return None


@dataclass(frozen=True)
class Entry:
    """One person on the round's register, as an officer may see them to compare."""

    identity: Identity
    name: str  # the account's display name, or the declared name (normalised)
    postcode: str
    channel: str
    voted_on: date
    neighbourhood: str

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)


def entries_at(*, round_id: int, postcode: str) -> list[Entry]:
    """Everyone on the round's register known to live at ``postcode`` (two queries)."""
    accounts = (
        _in_round(round_id)
        .filter(voter__home_postcode=postcode)
        .values_list("voter__display_name", "channel", "voted_on", "envelope__neighbourhood__name")
    )
    declared = (
        DeclaredVoter.objects.filter(round_id=round_id, postcode=postcode)
        .annotate(
            channel=F("participation__channel"),
            voted_on=F("participation__voted_on"),
            neighbourhood=F("participation__envelope__neighbourhood__name"),
        )
        .values_list("name", "date_of_birth", "channel", "voted_on", "neighbourhood")
    )
    return [
        Entry(Identity(normalise_name(name), postcode), name, postcode, channel, day, place)
        for name, channel, day, place in accounts
    ] + [
        Entry(Identity(name, postcode, dob), name, postcode, channel, day, place)
        for name, dob, channel, day, place in declared
    ]


def claim(*, envelope, channel: str, account_id=None, code="", identity: Identity | None = None):
    """Put a person on the round's register. Raises IntegrityError or AlreadyVoted if they
    are on it already (the database's unique constraints decide)."""
    if account_id and channel_of_account(round_id=envelope.round_id, account_id=account_id):
        raise AlreadyVoted
    participation = Participation.objects.create(
        round_id=envelope.round_id,
        envelope=envelope,
        voter_id=account_id,
        channel=channel,
        voted_on=timezone.localdate(),
    )
    if identity is not None:
        DeclaredVoter.objects.create(
            participation=participation,
            round_id=envelope.round_id,
            name=identity.name,
            postcode=identity.postcode,
            date_of_birth=identity.date_of_birth,
        )
    return participation
