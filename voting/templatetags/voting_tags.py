"""What pages of the apps below voting show about a resident's own vote.

The neighbourhood page (budgets) and the sign-in page (accounts) cannot import voting; their
templates ask these tags instead, so the rules stay here.
"""

from urllib.parse import urlsplit

from django import template
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from budgets.models import Envelope
from voting import closing
from voting.keys import ballot_key
from voting.models import Ballot, Channel, Participation

register = template.Library()
register.filter("closing_time", closing.closing_time)
register.filter("closing_date", closing.closing_date)


@register.simple_tag
def your_receipts(stages, user) -> dict[int, str]:
    """Envelope id -> the receipt reference of ``user``'s ballot there, for every envelope
    in ``stages`` (lists of envelopes by stage), in one query."""
    envelopes = [envelope for group in stages.values() for envelope in group]
    if not user.is_authenticated or not envelopes:
        return {}
    keys = {ballot_key(voter_id=user.pk, envelope_id=e.pk): e.pk for e in envelopes}
    found = Ballot.objects.filter(ballot_key__in=keys).values_list("ballot_key", "receipt")
    return {keys[key]: receipt for key, receipt in found}


@register.simple_tag
def your_votes_elsewhere(stages, user) -> dict[int, Participation]:
    """Envelope id -> ``user``'s register entry in that envelope's round when they voted
    there for another neighbourhood, for every envelope in ``stages``, in one query: such a
    page must point to where they voted, never offer them "Vote now"."""
    envelopes = [envelope for group in stages.values() for envelope in group]
    if not user.is_authenticated or not envelopes:
        return {}
    found = {
        p.round_id: p
        for p in Participation.objects.filter(
            voter=user, round_id__in={e.round_id for e in envelopes}
        ).select_related("envelope__neighbourhood")
    }
    return {
        e.pk: found[e.round_id]
        for e in envelopes
        if e.round_id in found and found[e.round_id].envelope_id != e.pk
    }


@register.filter
def vote_elsewhere_for(votes: dict[int, Participation], envelope) -> Participation | None:
    return votes.get(envelope.pk)


@register.filter
def changeable_online(participation: Participation | None) -> bool:
    return participation is not None and participation.channel == Channel.ONLINE


@register.filter
def receipt_for(receipts: dict[int, str], envelope) -> str:
    return receipts.get(envelope.pk, "")


@register.simple_tag(takes_context=True)
def ballot_in(context, next_url) -> Envelope | None:
    """The envelope whose ballot ``next_url`` (a sign-in page's next address) leads to, so
    the page can say what signing in is for; None for any other address."""
    request = context.get("request")
    if not next_url or request is None:
        return None
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return None
    try:
        match = resolve(urlsplit(str(next_url)).path)
    except Resolver404:
        return None
    if match.url_name not in {"voting-ballot", "voting-check", "voting-code"}:
        return None
    return (
        Envelope.objects.select_related("round", "neighbourhood")
        .filter(pk=match.kwargs["envelope_id"])
        .first()
    )


@register.simple_tag
def your_vote_in(envelope, user) -> dict:
    """``user``'s vote in ``envelope``'s round, for a page about that envelope (its ideas):
    ``receipt`` of their ballot there, or ``elsewhere``, their register entry when they
    voted in the round for another neighbourhood. Two queries at most."""
    stages = {"here": [envelope]}
    return {
        "receipt": your_receipts(stages, user).get(envelope.pk, ""),
        "elsewhere": your_votes_elsewhere(stages, user).get(envelope.pk),
    }
