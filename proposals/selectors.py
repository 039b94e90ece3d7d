import secrets

from django.db.models import Count, Q, TextField, Value
from django.db.models.functions import MD5, Cast, Concat

from budgets.models import Envelope
from proposals.models import Proposal

SORTS = ["random", "newest", "cost_low", "cost_high"]
RANDOM_SEED_SESSION_KEY = "proposals_random_seed"


def envelope_get(envelope_id: int) -> Envelope:
    return Envelope.objects.select_related("round__fund", "neighbourhood__council").get(
        pk=envelope_id
    )


def random_seed_for(session) -> str:
    """One seed per visitor, kept in their session, so 'random' order stays put as they page."""
    seed = session.get(RANDOM_SEED_SESSION_KEY)
    if not seed:
        seed = secrets.token_hex(8)
        session[RANDOM_SEED_SESSION_KEY] = seed
    return seed


def proposal_list(
    *,
    envelope: Envelope,
    category: str = "",
    status: str = "",
    query: str = "",
    sort: str = "random",
    seed: str = "",
):
    """The public ideas of one envelope, filtered, searched and sorted."""
    proposals = (
        Proposal.objects.public()
        .for_envelope(envelope)
        .with_effective_cost()
        .select_related("author", "submitted_by_anchor")
    )
    if category:
        proposals = proposals.filter(category=category)
    if status:
        proposals = proposals.filter(status=status)
    for word in query.split()[:10]:
        proposals = proposals.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        )
    if sort == "newest":
        return proposals.order_by("-submitted_at", "-id")
    if sort == "cost_low":
        return proposals.order_by("effective_cost", "id")
    if sort == "cost_high":
        return proposals.order_by("-effective_cost", "id")
    # Hashing the id with the visitor's seed shuffles the list the same way on every page.
    shuffle = MD5(Concat(Cast("id", TextField()), Value(seed), output_field=TextField()))
    return proposals.order_by(shuffle, "id")


def proposals_for_author(user):
    return (
        Proposal.objects.filter(Q(author=user) | Q(entered_by=user))
        .select_related("envelope__round", "envelope__neighbourhood")
        .order_by("-created_at")
    )


def round_ballot_sizes(*, round_id: int) -> dict[int, int]:
    """{envelope id: ideas on its ballot} for one round (budgets asks this before voting
    opens)."""
    rows = (
        Proposal.objects.filter(envelope__round_id=round_id, status=Proposal.Status.ON_BALLOT)
        .values("envelope_id")
        .annotate(n=Count("pk"))
    )
    return {row["envelope_id"]: row["n"] for row in rows}
