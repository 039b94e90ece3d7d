"""A demo round with voting open, so the demo resident can vote. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from budgets.models import Envelope, Fund, Round
from demo.welsh import with_welsh
from proposals.models import Proposal
from voting.models import VoterCode
from voting.services import voter_codes_generate

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
    with_welsh(
        fund, name_cy="Cronfa Strydoedd Gwyrdd 2026", source_cy="Cyllideb hinsawdd y cyngor."
    )
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
    with_welsh(round_, name_cy="Strydoedd Gwyrdd 2026")
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
                    "description": "Checked by the council's parks team, who will look after it.",
                    "category": Proposal.Category.GREEN_SPACES,
                    "cost_pence": cost * 100,
                    "status": Proposal.Status.ON_BALLOT,
                    "submitted_at": round_.proposals_open_at + timedelta(days=5),
                    "resident_name": "A Green Streets volunteer",
                },
            )
            summary.note(created)
    _seed_voter_codes(Envelope.objects.get(round=round_, neighbourhood__slug="splott"), summary)


DEMO_VOTER_CODES = 20


def _seed_voter_codes(envelope, summary) -> None:
    """A batch of voter codes for Splott, as the council's letters would carry, so that the
    demo's polling station can take a code as well as a declaration."""
    created = not envelope.voter_code_batches.exists()
    if created:
        voter_codes_generate(envelope_id=envelope.pk, size=DEMO_VOTER_CODES, created_by=None)
    summary.note(created)
    unused = VoterCode.objects.filter(envelope=envelope, used_on__isnull=True).order_by("code")
    summary.voter_codes = list(unused.values_list("code", flat=True)[:5])


LAST_YEAR = {
    # neighbourhood slug: envelope in pounds, then (title, cost in pounds, popularity 1-10)
    "riverside": (
        60_000,
        [
            ("Repair the Taff path lighting", 18_000, 9),
            ("Summer play scheme", 9_000, 8),
            ("Community centre kitchen", 22_000, 6),
            ("Defibrillator at the shops", 2_500, 7),
            ("Murals on the underpass", 7_000, 4),
            ("Allotment water supply", 5_500, 3),
        ],
    ),
    "splott": (
        90_000,
        [
            ("Splott Park changing rooms", 40_000, 7),
            ("Free swimming lessons", 12_000, 9),
            ("Pocket garden on Railway Street", 15_000, 6),
            ("Youth club trips", 8_000, 8),
            ("Traffic calming on Carlisle Street", 30_000, 5),
            ("Warm space at the library", 6_000, 7),
        ],
    ),
    "llandaff-north": (
        45_000,
        [
            ("Riverside path resurfacing", 25_000, 8),
            ("Older people's lunch club", 6_000, 7),
            ("New goalposts at the rec", 4_000, 5),
            ("Benches on the high street", 3_500, 6),
            ("Flood wardens' kit", 9_000, 4),
        ],
    ),
}
DEMO_VOTERS_PER_ENVELOPE = 240


def seed_demo_results(council, neighbourhoods, summary) -> None:
    """Last year's round, voted on, counted and published, so the results can be explored.

    The ballots are made up but plausible: each demo voter picks a few proposals, more
    popular ones more often, within the envelope (a knapsack ballot). They are linked to
    no one, as the ballots of deleted accounts are.
    """
    import random

    from voting.keys import new_receipt, unlinked_ballot_key
    from voting.models import Ballot, BallotChoice, Channel, Participation
    from voting.results.services import envelope_count, round_publish

    fund, created = Fund.objects.get_or_create(
        council=council,
        name="Shared Prosperity Neighbourhood Fund 2025/26",
        defaults={"total_pence": 200_000_00, "source": "UK Shared Prosperity Fund, year three."},
    )
    summary.note(created)
    with_welsh(
        fund,
        name_cy="Cronfa Ffyniant Gyffredin y Cymdogaethau 2025/26",
        source_cy="Cronfa Ffyniant Gyffredin y DU, y drydedd flwyddyn.",
    )
    if fund.rounds.exists():
        summary.note(False)
        return
    opened = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=300)
    round_ = Round.objects.create(
        fund=fund,
        slug="2025-26",
        name="Neighbourhood Decides 2025/26",
        name_cy="Cymdogaethau'n Penderfynu 2025/26",
        phase=Round.Phase.VOTING_CLOSED,
        ballot_rule=Round.BallotRule.KNAPSACK,
        proposals_open_at=opened,
        review_starts_at=opened + timedelta(days=42),
        voting_opens_at=opened + timedelta(days=56),
        voting_closes_at=opened + timedelta(days=70),
        # On the record as a real round's are, so the admin shows when voting opened
        # and closed rather than "-" (found by a new user's trial).
        voting_opened_at=opened + timedelta(days=56),
        voting_closed_at=opened + timedelta(days=70),
    )
    summary.note(True)
    chooser = random.Random(2025)  # the same made-up ballots on every machine
    channels = [Channel.ONLINE] * 7 + [Channel.POLLING_STATION] * 2 + [Channel.PAPER]
    for neighbourhood in neighbourhoods:
        pounds, ideas = LAST_YEAR[neighbourhood.slug]
        envelope = Envelope.objects.create(
            round=round_, neighbourhood=neighbourhood, amount_pence=pounds * 100
        )
        proposals = [
            Proposal.objects.create(
                envelope=envelope,
                title=title,
                summary=f"{title}, suggested by residents of {neighbourhood.name}.",
                description=f"{title}.\n\nChecked and costed by the council.",
                category=Proposal.Category.COMMUNITY_SPACES,
                cost_pence=cost * 100,
                status=Proposal.Status.ON_BALLOT,
                submitted_at=opened + timedelta(days=3),
            )
            for title, cost, _ in ideas
        ]
        weights = [popularity for _, _, popularity in ideas]
        for _ in range(DEMO_VOTERS_PER_ENVELOPE):
            wanted = chooser.choices(proposals, weights=weights, k=4)
            chosen, spent = [], 0
            for proposal in dict.fromkeys(wanted):
                if spent + proposal.cost_pence <= envelope.amount_pence:
                    chosen.append(proposal)
                    spent += proposal.cost_pence
            channel = chooser.choice(channels)
            ballot = Ballot.objects.create(
                envelope=envelope,
                ballot_key=unlinked_ballot_key(),
                receipt=new_receipt(),
                channel=channel,
            )
            BallotChoice.objects.bulk_create(
                BallotChoice(ballot=ballot, proposal=p) for p in chosen
            )
            Participation.objects.create(
                round_id=envelope.round_id,
                envelope=envelope,
                channel=channel,
                voted_on=round_.voting_opens_at.date(),
            )
    # Count only once every envelope has its ballots: the last count moves the round on.
    for envelope in round_.envelopes.all():
        envelope_count(envelope_id=envelope.pk)
    round_publish(round_id=round_.pk)
