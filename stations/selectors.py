"""What staff and officers read about stations: counts only, never anyone's choices."""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from budgets.models import Envelope, Round
from stations import register
from stations.identity import Identity, Match, compare, normalise_name
from stations.models import (
    HeldDeclaration,
    OfflineBallot,
    PollingStation,
    Refusal,
    StationSession,
)
from voting.models import Channel, Participation


def station_envelopes(session: StationSession) -> QuerySet[Envelope]:
    """The envelopes a station serves: its round's, for its neighbourhoods."""
    station = session.station
    return Envelope.objects.filter(
        round_id=station.round_id, neighbourhood__in=station.neighbourhoods.all()
    ).select_related("round", "neighbourhood")


def _today_start() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


# --- Ballots cast at a station session: the one place this figure is worked out ----------
#
# A ballot cast on the tablet is one of:
#   - stored straight away (``ballots_recorded``, which also goes up when an officer
#     approves a held declaration or accepts an offline ballot refused on arrival);
#   - a declaration held for an officer, not (yet) approved;
#   - an offline ballot refused when it arrived, not (yet) accepted (an accepted one is
#     stored, or held, and so counted above).
# Each was cast here whatever the officer decides, and none is counted twice.


def _count_of(queryset) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _held_not_counted(**where):
    return HeldDeclaration.objects.filter(**where).exclude(status=HeldDeclaration.Status.APPROVED)


def _offline_refused_not_counted(**where):
    return OfflineBallot.objects.filter(outcome=OfflineBallot.Outcome.REFUSED, **where).exclude(
        decision=OfflineBallot.Decision.ACCEPTED
    )


def with_ballots_cast(sessions: QuerySet[StationSession]) -> QuerySet[StationSession]:
    """Station sessions annotated with ``ballots_cast``: every ballot cast on the tablet,
    whether stored, held for an officer or refused when it arrived from offline."""
    return sessions.annotate(
        ballots_cast=F("ballots_recorded")
        + _count_of(_held_not_counted(session=OuterRef("pk")))
        + _count_of(_offline_refused_not_counted(session=OuterRef("pk")))
    )


def ballots_cast(session: StationSession) -> int:
    """Ballots cast at one station session (see ``with_ballots_cast``)."""
    annotated = with_ballots_cast(StationSession.objects.filter(pk=session.pk)).get()
    return getattr(annotated, "ballots_cast")  # noqa: B009 (an annotation: mypy can't see it)


def _ballots_cast_at_station():
    """The same figure for a polling station: the sum over all its sessions."""
    return (
        _sum_sessions("ballots_recorded")
        + _count_of(_held_not_counted(session__station=OuterRef("pk")))
        + _count_of(_offline_refused_not_counted(session__station=OuterRef("pk")))
    )


@dataclass(frozen=True)
class StationToday:
    ballots: int  # every ballot cast, held and refused-on-arrival ones included
    held_pending: int  # held declarations still waiting for an officer
    papers: int  # paper ballots handed out
    refusals: list[tuple[str | Promise, int]]  # reason label, how many
    held: list[HeldDeclaration]


def station_today(session: StationSession) -> StationToday:
    """This station's ballots, refusals by reason and held declarations since midnight."""
    sessions = StationSession.objects.filter(
        station_id=session.station_id, opened_at__gte=_today_start()
    )
    today = list(with_ballots_cast(sessions))
    ballots = sum(getattr(s, "ballots_cast") for s in today)  # noqa: B009
    papers = sum(s.papers_issued_recorded for s in today)
    reasons = dict(
        Refusal.objects.filter(session__in=sessions)
        .values_list("reason")
        .annotate(n=Count("pk"))
        .values_list("reason", "n")
    )
    held = list(
        HeldDeclaration.objects.filter(session__in=sessions).only(
            "status", "held_at", "why_held", "session_id"
        )
    )
    return StationToday(
        ballots=ballots,
        held_pending=sum(h.status == HeldDeclaration.Status.PENDING for h in held),
        papers=papers,
        refusals=[
            (label, reasons[value]) for value, label in Refusal.Reason.choices if value in reasons
        ],
        held=held,
    )


@dataclass(frozen=True)
class Reconciliation:
    label: str
    reported: int | None
    recorded: int

    @property
    def difference(self) -> int | None:
        return None if self.reported is None else self.reported - self.recorded


def reconciliation(
    session: StationSession, *, refusals: int | None = None, cast: int | None = None
) -> list[Reconciliation]:
    """Each count staff give on closing beside what the platform recorded. ``cast`` is
    ``ballots_cast`` when the caller has annotated it already (``with_ballots_cast``)."""
    if refusals is None:
        refusals = session.refusals.count()
    if cast is None:
        cast = ballots_cast(session)
    return [
        Reconciliation(
            _("Voter codes used"), session.reported_codes_issued, session.codes_used_recorded
        ),
        Reconciliation(_("Ballots cast"), session.reported_ballots, cast),
        Reconciliation(
            _("Spoilt or abandoned"), session.reported_spoilt, session.abandoned_recorded
        ),
        Reconciliation(_("People turned away"), session.reported_refusals, refusals),
        Reconciliation(
            _("Paper ballots handed out"),
            session.reported_papers,
            session.papers_issued_recorded,
        ),
    ]


def station_figures(queryset):
    """Stations with their ballots, refusals and held declarations, in a fixed few queries."""
    return queryset.annotate(
        ballots_total=_ballots_cast_at_station(),
        refusals_total=Count("sessions__refusals", distinct=True),
        held_total=Count(
            "sessions__held_declarations",
            filter=Q(sessions__held_declarations__status=HeldDeclaration.Status.PENDING),
            distinct=True,
        ),
    )


def _sum_sessions(field):
    return Coalesce(
        Subquery(
            StationSession.objects.filter(station=OuterRef("pk"))
            .values("station")
            .annotate(total=Sum(field))
            .values("total")
        ),
        0,
    )


@dataclass(frozen=True)
class ChannelFigures:
    label: str | Promise
    ballots: int
    percent_of_voters: int


@dataclass(frozen=True)
class RoundFigures:
    round: Round
    channels: list[ChannelFigures]
    voters: int
    population: int
    refusals: int
    held_pending: int
    stations: list[PollingStation]

    @property
    def turnout_percent(self) -> str:
        if not self.population:
            return ""
        return f"{100 * self.voters / self.population:.1f}%"


def round_figures(rounds) -> list[RoundFigures]:
    """Per round: voters by channel (from the register), turnout against the population
    of its neighbourhoods, refusals and held declarations at stations, and each station's
    figures. A fixed number of queries, however many rounds and stations."""
    rounds = list(rounds)
    ids = [r.pk for r in rounds]
    by_channel: dict[int, dict[str, int]] = {}
    for round_id, channel, n in (
        Participation.objects.filter(round_id__in=ids)
        .values_list("round_id", "channel")
        .annotate(n=Count("pk"))
        .values_list("round_id", "channel", "n")
    ):
        by_channel.setdefault(round_id, {})[channel] = n
    population = dict(
        Envelope.objects.filter(round_id__in=ids)
        .values_list("round_id")
        .annotate(total=Sum("neighbourhood__population"))
        .values_list("round_id", "total")
    )
    refusals = dict(
        Refusal.objects.filter(session__station__round_id__in=ids)
        .values_list("session__station__round_id")
        .annotate(n=Count("pk"))
        .values_list("session__station__round_id", "n")
    )
    held = dict(
        HeldDeclaration.objects.filter(
            envelope__round_id__in=ids, status=HeldDeclaration.Status.PENDING
        )
        .values_list("envelope__round_id")
        .annotate(n=Count("pk"))
        .values_list("envelope__round_id", "n")
    )
    stations: dict[int, list[PollingStation]] = {}
    for station in station_figures(
        PollingStation.objects.filter(round_id__in=ids).select_related("anchor")
    ):
        stations.setdefault(station.round_id, []).append(station)
    figures = []
    for round_ in rounds:
        counts = by_channel.get(round_.pk, {})
        voters = sum(counts.values())
        figures.append(
            RoundFigures(
                round=round_,
                channels=[
                    ChannelFigures(
                        label,
                        counts.get(value, 0),
                        round(100 * counts.get(value, 0) / voters) if voters else 0,
                    )
                    for value, label in Channel.choices
                ],
                voters=voters,
                population=population.get(round_.pk) or 0,
                refusals=refusals.get(round_.pk, 0),
                held_pending=held.get(round_.pk, 0),
                stations=stations.get(round_.pk, []),
            )
        )
    return figures


def held_matches(held: HeldDeclaration) -> list[register.Entry]:
    """The register entries a held declaration may be: the people the officer compares
    it with. Empty once decided (the declared details are erased then)."""
    if held.status != HeldDeclaration.Status.PENDING or not held.postcode:
        return []
    declared = Identity(normalise_name(held.name), held.postcode, held.date_of_birth)
    return [
        entry
        for entry in register.entries_at(round_id=held.envelope.round_id, postcode=held.postcode)
        if compare(declared, entry.identity) != Match.NONE
    ]
