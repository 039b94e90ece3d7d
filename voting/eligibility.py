"""Who may vote in an envelope, in one place, with a plain reason when not.

Everything the rules need about the voter comes with the envelope in one query
(``envelope_for_voter``), so the ballot page and the cast each ask the database once.

The neighbourhood a resident votes in for a round is fixed by their first ballot in it:
after that they can change their vote there and nowhere else in the round, wherever their
postcode later says they live. Fixing it at the first ballot (not when voting opens) lets
someone who moved before voting opened vote where they now live, and the register
(``Participation``, one row per voter per round) enforces it in the database.
"""

import functools
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from accounts.bilingual import MarkedMessage
from budgets import phases
from budgets.models import Envelope, Fund, Round
from config.sql import ModelColumns, rows_together
from neighbourhoods.models import Council, Neighbourhood
from neighbourhoods.selectors import residence_sql
from voting.models import Channel


def envelope_for_voter(user, envelope_id: int) -> Envelope:
    """The envelope with its round (and fund) and neighbourhood (and council), and what
    decides whether ``user`` may vote in it. Raises Envelope.DoesNotExist.

    Every page of a vote and every cast runs this, so it is SQL written once per process
    (``_EnvelopeQuery``): the ORM's building of this join and the voter's four facts cost
    more CPU than all the rest of a cast's queries."""
    (rows,) = rows_together(envelope_for_voter_statement(user, envelope_id))
    return envelope_for_voter_from(rows)


def envelope_for_voter_statement(user, envelope_id: int) -> tuple[str, list]:
    """``envelope_for_voter``'s query, to send with others (``config.sql.rows_together``);
    ``envelope_for_voter_from`` reads its rows."""
    query = _envelope_query()
    return query.sql, [user.home_postcode or "", user.pk, user.pk, user.pk, envelope_id]


def envelope_for_voter_from(rows: list[tuple]) -> Envelope:
    if not rows:
        raise Envelope.DoesNotExist("Envelope matching query does not exist.")
    return _envelope_query().envelope(rows[0])


class _EnvelopeQuery:
    """``Envelope.objects.select_related("round__fund", "neighbourhood__council")`` with
    the voter's facts beside the row, as plain SQL."""

    def __init__(self):
        self.parts = [
            ModelColumns(Envelope, '"budgets_envelope"'),
            ModelColumns(Round, '"budgets_round"'),
            ModelColumns(Fund, '"budgets_fund"'),
            # The boundary (GeoJSON, often many kilobytes) is drawn on no page of a vote.
            ModelColumns(Neighbourhood, '"neighbourhoods_neighbourhood"', defer=("boundary",)),
            ModelColumns(Council, '"neighbourhoods_council"'),
        ]
        facts = (
            residence_sql('"budgets_envelope"."neighbourhood_id"'),
            "EXISTS (SELECT 1 FROM voting_votercode WHERE voting_votercode.envelope_id = "
            '"budgets_envelope"."id" AND voting_votercode.used_by_id = %s)',
            _PARTICIPATION % "envelope_id",
            _PARTICIPATION % "channel",
        )
        self.sql = (
            f"SELECT {', '.join(part.sql for part in self.parts)}, {', '.join(facts)} "
            'FROM "budgets_envelope" '
            'JOIN "budgets_round" ON "budgets_round"."id" = "budgets_envelope"."round_id" '
            'JOIN "budgets_fund" ON "budgets_fund"."id" = "budgets_round"."fund_id" '
            'JOIN "neighbourhoods_neighbourhood" ON "neighbourhoods_neighbourhood"."id" = '
            '"budgets_envelope"."neighbourhood_id" '
            'JOIN "neighbourhoods_council" ON "neighbourhoods_council"."id" = '
            '"neighbourhoods_neighbourhood"."council_id" '
            'WHERE "budgets_envelope"."id" = %s'
        )

    def envelope(self, row: tuple) -> Envelope:
        instances: list[Any] = []
        start = 0
        for part in self.parts:
            instances.append(part.instance(row[start : start + len(part)]))
            start += len(part)
        envelope, round_, fund, neighbourhood, council = instances
        round_.fund = fund
        neighbourhood.council = council
        envelope.round = round_
        envelope.neighbourhood = neighbourhood
        (
            envelope.voter_lives_here,
            envelope.voter_has_code,
            envelope.voter_envelope_in_round,
            envelope.voter_channel_in_round,
        ) = row[start:]
        return envelope


@functools.cache
def _envelope_query() -> _EnvelopeQuery:
    return _EnvelopeQuery()


# The voter's line in the round's register (one per voter per round: a unique constraint).
_PARTICIPATION = (
    "(SELECT voting_participation.%s FROM voting_participation WHERE "
    'voting_participation.round_id = "budgets_envelope"."round_id" '
    "AND voting_participation.voter_id = %%s LIMIT 1)"
)


def _phase_reason(round_: Round) -> str | None:
    if round_.phase == Round.Phase.VOTING_OPEN:
        return None
    if not phases.is_at_or_after(round_.phase, Round.Phase.VOTING_OPEN):
        return _("Voting has not opened yet. It opens on %(date)s.") % {
            "date": date_format(localtime(round_.voting_opens_at), "j F Y")
        }
    return _("Voting has closed. Nothing can be changed now.")


def voted_elsewhere_reason(round_: Round, place: Neighbourhood) -> str:
    return MarkedMessage(
        _(
            "You have already voted in %(round)s, for %(place)s. Each person has one vote in a "
            "round, so you cannot vote for another neighbourhood as well, even if your "
            "postcode has changed. You can still change your vote for %(place)s until voting "
            "closes."
        ),
        {"round": round_.local.name, "place": place.local.name},
    )


def envelope_voted_in(envelope) -> Envelope | None:
    """The envelope (of another neighbourhood) where the voter of ``envelope_for_voter``
    voted in this round, with its neighbourhood; read once per envelope, as the refusal
    and its link both name it."""
    voted_in = getattr(envelope, "voter_envelope_in_round", None)
    if voted_in in (None, envelope.pk):
        return None
    found = getattr(envelope, "_voted_in", None)
    if found is None or found.pk != voted_in:
        found = Envelope.objects.select_related("neighbourhood").get(pk=voted_in)
        envelope._voted_in = found
    return found


def changeable_vote_elsewhere(envelope) -> Envelope | None:
    """The envelope (of another neighbourhood) where the voter of ``envelope_for_voter``
    voted online in this round while voting is open, so a refusal can link to that ballot."""
    if (
        envelope.voter_channel_in_round != Channel.ONLINE
        or envelope.round.phase != Round.Phase.VOTING_OPEN
    ):
        return None
    return envelope_voted_in(envelope)


def why_cannot_vote(user, envelope) -> str | None:
    """None if ``user`` may vote in ``envelope`` (from ``envelope_for_voter``) now;
    otherwise the reason, for the voter."""
    reason = _phase_reason(envelope.round)
    if reason:
        return reason
    if not user.is_authenticated:
        return _("Sign in to vote.")
    if envelope.voter_channel_in_round not in (None, Channel.ONLINE):
        return MarkedMessage(
            _(
                "You have already voted in person in %(round)s. A vote given at a polling "
                "station or on paper is final, so it cannot be changed online."
            ),
            {"round": envelope.round.local.name},
        )
    if envelope.voter_envelope_in_round == envelope.pk:
        return None
    if voted_in := envelope_voted_in(envelope):
        return voted_elsewhere_reason(envelope.round, voted_in.neighbourhood)
    if not user.home_postcode:
        return _("Add your home postcode to your details so we can check where you can vote.")
    if not envelope.voter_lives_here:
        return MarkedMessage(
            _(
                "Your home postcode, %(postcode)s, is not in %(name)s, so you cannot vote here. "
                "If you have moved, update your details."
            ),
            {"postcode": user.home_postcode, "name": envelope.neighbourhood.local.name},
        )
    return None


def needs_voter_code(envelope) -> bool:
    """Whether the voter (of ``envelope_for_voter``) must enter a voter code first."""
    return envelope.round.requires_voter_code and not envelope.voter_has_code
