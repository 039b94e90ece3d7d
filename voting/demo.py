"""A demo round with voting open, so the demo resident can vote. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from budgets.models import Envelope, Fund, Round
from proposals.models import Proposal

GREEN_STREETS = {
    # neighbourhood slug: envelope in pounds, then (title, summary, cost in pounds)
    "riverside": (
        20_000,
        [
            (
                "Planters on Tudor Street",
                "Twelve large planters with shrubs outside the shops.",
                6_000,
            ),
            (
                "Street trees on Lower Cathedral Road",
                "Eight new trees where old ones were lost.",
                9_500,
            ),
            ("Bike racks by the community centre", "Covered racks for twenty bikes.", 4_000),
            ("Rain garden on Clare Road", "A planted dip that soaks up rain from the road.", 7_500),
        ],
    ),
    "splott": (
        30_000,
        [
            (
                "Pocket park on Railway Street",
                "Turn the empty corner plot into a small park.",
                14_000,
            ),
            (
                "Community orchard at Splott Park",
                "Twenty fruit trees, looked after by volunteers.",
                6_500,
            ),
            ("Green wall at the swimming pool", "Climbing plants on the big blank wall.", 8_000),
            (
                "Street trees on Carlisle Street",
                "Ten trees along the street to the school.",
                11_000,
            ),
            ("Litter bins that recycle", "Fifteen two-part bins on the main roads.", 3_500),
        ],
    ),
    "llandaff-north": (
        15_000,
        [
            (
                "Wildflower meadow by the river",
                "Sow and care for a meadow on the riverbank.",
                3_000,
            ),
            ("Bird and bat boxes", "Forty boxes made with the primary school.", 1_200),
            (
                "New path through Hailey Park",
                "A firm, level path for buggies and wheelchairs.",
                12_000,
            ),
        ],
    ),
}


def seed_demo_voting(council, neighbourhoods, summary) -> None:
    fund, created = Fund.objects.get_or_create(
        council=council,
        name="Green Streets Fund 2026",
        defaults={"total_pence": 65_000_00, "source": "The council's climate budget."},
    )
    summary.note(created)
    now = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    round_, created = Round.objects.get_or_create(
        fund=fund,
        slug="green-streets-2026",
        defaults={
            "name": "Green Streets 2026",
            "phase": Round.Phase.VOTING_OPEN,
            "ballot_rule": Round.BallotRule.KNAPSACK,
            "proposals_open_at": now - timedelta(days=60),
            "review_starts_at": now - timedelta(days=30),
            "voting_opens_at": now - timedelta(days=3),
            "voting_closes_at": now + timedelta(days=25),
        },
    )
    summary.note(created)
    for neighbourhood in neighbourhoods:
        pounds, ideas = GREEN_STREETS[neighbourhood.slug]
        envelope, created = Envelope.objects.get_or_create(
            round=round_, neighbourhood=neighbourhood, defaults={"amount_pence": pounds * 100}
        )
        summary.note(created)
        for title, summary_text, cost in ideas:
            _, created = Proposal.objects.get_or_create(
                envelope=envelope,
                title=title,
                defaults={
                    "summary": summary_text,
                    "description": f"{summary_text}\n\nChecked by the council's parks team.",
                    "category": Proposal.Category.GREEN_SPACES,
                    "cost_pence": cost * 100,
                    "status": Proposal.Status.ON_BALLOT,
                    "submitted_at": round_.proposals_open_at + timedelta(days=5),
                    "resident_name": "A Green Streets volunteer",
                },
            )
            summary.note(created)
