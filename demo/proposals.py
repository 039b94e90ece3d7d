"""Demo proposals for every demo envelope, in several states. Idempotent like seed_demo."""

from datetime import timedelta

from accounts.models import User
from neighbourhoods.models import AnchorOrganisation
from proposals.models import Proposal

S = Proposal.Status
C = Proposal.Category

# title, summary, category, cost in pounds, status, officer's reason, council's cost, who
IDEAS = {
    "riverside": [
        (
            "Benches along the Taff path",
            "Six benches between Clare Road and the weir so older people can rest on their walk.",
            C.OLDER_PEOPLE,
            9_000,
            S.FEASIBLE,
            "Parks can install these in spring. Six benches with footings cost a little more than "
            "estimated.",
            10_500,
            "Mrs Evans",
        ),
        (
            "Riverside community fridge",
            "A shared fridge at the community centre where shops and neighbours leave spare food.",
            C.COMMUNITY_SPACES,
            4_500,
            S.SUBMITTED,
            "",
            None,
            "Tomasz",
        ),
        (
            "Wildflower verges on Lower Cathedral Road",
            "Sow wildflowers on the grass verges instead of mowing them every fortnight.",
            C.GREEN_SPACES,
            3_200,
            S.FEASIBLE,
            "",
            None,
            "Priya",
        ),
        (
            "Safer crossing by the primary school",
            "A raised zebra crossing outside the school gates on Despenser Street.",
            C.STREETS_AND_SAFETY,
            38_000,
            S.NOT_FEASIBLE,
            "Highways are already building this crossing next year from the road safety budget, "
            "so it does not need this money.",
            None,
            "Gareth",
        ),
        (
            "Street food night each summer",
            "Three evenings of stalls and music in Despenser Gardens, run by local cooks.",
            C.EVENTS_AND_CULTURE,
            12_000,
            S.SUBMITTED,
            "",
            None,
            "Amina",
        ),
        (
            "Youth football coaching",
            "Free weekly coaching for 11 to 16 year olds on the Riverside pitches for a year.",
            C.PLAY_AND_YOUNG_PEOPLE,
            15_000,
            S.FEASIBLE,
            "Cardiff City Foundation can deliver this at the estimated cost.",
            None,
            "Dylan",
        ),
        (
            "Fix the lights in the lane behind Neville Street",
            "The lane is dark and people avoid it after 4pm in winter.",
            C.STREETS_AND_SAFETY,
            7_800,
            S.SUBMITTED,
            "",
            None,
            "Siân",
        ),
        (
            "Bike repair stand and pump",
            "A public repair stand with tools and a pump outside the library.",
            C.STREETS_AND_SAFETY,
            1_800,
            S.WITHDRAWN,
            "",
            None,
            "Ollie",
        ),
        (
            "Welsh and English story time",
            "Weekly bilingual story sessions for toddlers in the community centre.",
            C.EVENTS_AND_CULTURE,
            2_600,
            S.DRAFT,
            "",
            None,
            "Ffion",
        ),
    ],
    "splott": [
        (
            "Resurface the Splott Park play area",
            "Replace the cracked surface under the swings so children do not fall on concrete.",
            C.PLAY_AND_YOUNG_PEOPLE,
            42_000,
            S.FEASIBLE,
            "The surface fails its safety check; Parks estimate £46,000 including the swings' "
            "foundations.",
            46_000,
            "Rhian Resident",
        ),
        (
            "Community garden on Railway Street",
            "Raised beds, a shed and water butts on the empty plot, looked after by neighbours.",
            C.GREEN_SPACES,
            14_500,
            S.SUBMITTED,
            "",
            None,
            "Rhian Resident",
        ),
        (
            "Warm space with free tea on winter mornings",
            "Keep the hub open three mornings a week from November to March as a warm space.",
            C.OLDER_PEOPLE,
            8_400,
            S.FEASIBLE,
            "",
            None,
            "Mr Hughes",
        ),
        (
            "Murals on the Beresford Road bridge",
            "Local artists and pupils paint the grey bridge walls with scenes of old Splott.",
            C.EVENTS_AND_CULTURE,
            11_000,
            S.SUBMITTED,
            "",
            None,
            "Keisha",
        ),
        (
            "More bins on Splott Road",
            "Eight extra litter bins with lids along the shopping parade.",
            C.STREETS_AND_SAFETY,
            5_600,
            S.FEASIBLE,
            "Waste services can empty these on the existing round.",
            6_200,
            "Jamal",
        ),
        (
            "Skate park by the beach",
            "A small concrete skate area next to the Splott beach path.",
            C.PLAY_AND_YOUNG_PEOPLE,
            95_000,
            S.NOT_FEASIBLE,
            "The land belongs to the port, which has said no. A skate park would also use most "
            "of Splott's share.",
            None,
            "Callum",
        ),
        (
            "Homework club with laptops",
            "Ten laptops and a tutor two evenings a week at the library.",
            C.PLAY_AND_YOUNG_PEOPLE,
            9_800,
            S.SUBMITTED,
            "",
            None,
            "Nadia",
        ),
        (
            "Speed cushions on Carlisle Street",
            "Cars race down Carlisle Street; speed cushions would slow them.",
            C.STREETS_AND_SAFETY,
            18_000,
            S.SUBMITTED,
            "",
            None,
            "Mrs Ali",
        ),
        (
            "Repair the hub's leaking roof",
            "The community hub's roof leaks into the main hall whenever it rains.",
            C.COMMUNITY_SPACES,
            24_000,
            S.FEASIBLE,
            "",
            None,
            "Splott Community Hub volunteers",
        ),
        (
            "Splott carnival",
            "Bring back the summer carnival with a parade, food and a stage in the park.",
            C.EVENTS_AND_CULTURE,
            20_000,
            S.WITHDRAWN,
            "",
            None,
            "Dave",
        ),
        (
            "Trees along Portmanmoor Road",
            "Plant twenty street trees for shade and to soak up the traffic fumes.",
            C.GREEN_SPACES,
            16_000,
            S.DRAFT,
            "",
            None,
            "Rhian Resident",
        ),
    ],
    "llandaff-north": [
        (
            "Toilets in Hailey Park",
            "Reopen the closed toilets by the cricket pitch, with a baby change.",
            C.GREEN_SPACES,
            35_000,
            S.SUBMITTED,
            "",
            None,
            "Margaret",
        ),
        (
            "Minibus trips for older residents",
            "A monthly minibus day out for people who no longer drive.",
            C.OLDER_PEOPLE,
            6_000,
            S.FEASIBLE,
            "",
            None,
            "Bryn",
        ),
        (
            "New nets and lines for the tennis courts",
            "The courts by the river have torn nets and faded lines.",
            C.PLAY_AND_YOUNG_PEOPLE,
            4_200,
            S.FEASIBLE,
            "Parks will do this for a little less.",
            3_800,
            "Zara",
        ),
        (
            "Dropped kerbs on Station Road",
            "Dropped kerbs at four crossings so wheelchairs and buggies can cross.",
            C.STREETS_AND_SAFETY,
            12_000,
            S.SUBMITTED,
            "",
            None,
            "Alun",
        ),
        (
            "Repair café once a month",
            "Volunteers fix toasters, clothes and bikes for free in the church hall.",
            C.COMMUNITY_SPACES,
            2_400,
            S.SUBMITTED,
            "",
            None,
            "Helen",
        ),
        (
            "Floodlights for the rugby club",
            "Floodlights so the juniors can train on winter evenings.",
            C.PLAY_AND_YOUNG_PEOPLE,
            75_000,
            S.NOT_FEASIBLE,
            "The club's lease does not allow floodlights near houses, and planning permission "
            "would be refused.",
            None,
            "Rhodri",
        ),
        (
            "Bird boxes and a bug hotel by the Taff",
            "Pupils from the primary school build and put up bird boxes along the river.",
            C.GREEN_SPACES,
            1_500,
            S.FEASIBLE,
            "",
            None,
            "Mia",
        ),
        (
            "Outdoor film nights",
            "Three free film nights on the green with a big screen in August.",
            C.EVENTS_AND_CULTURE,
            7_500,
            S.WITHDRAWN,
            "",
            None,
            "Tom",
        ),
    ],
}

DRAFT_AUTHOR_EMAIL = "resident@demo.test"
ANCHOR_STAFF_EMAIL = "anchor@demo.test"


def seed_demo_proposals(round_, summary) -> None:
    """Give each envelope of the demo round its ideas; ones already there are left alone.

    Rows are written directly rather than through the services: their states stand for
    decisions already taken, which the services would only allow step by step.
    """
    resident = User.objects.filter(email=DRAFT_AUTHOR_EMAIL).first()
    anchor_staff = User.objects.filter(email=ANCHOR_STAFF_EMAIL).first()
    anchor = AnchorOrganisation.objects.filter(
        council=round_.fund.council, name="Splott Community Hub"
    ).first()
    start = round_.proposals_open_at
    for envelope in round_.envelopes.select_related("neighbourhood"):
        ideas = IDEAS.get(envelope.neighbourhood.slug, [])
        for number, idea in enumerate(ideas):
            title, summary_text, category, pounds, status, reason, council_pounds, who = idea
            by_resident = resident is not None and who == resident.display_name
            # Every third idea elsewhere was written down at the hub's drop-in sessions.
            by_anchor = not by_resident and anchor is not None and number % 3 == 0
            _, created = Proposal.objects.get_or_create(
                envelope=envelope,
                title=title,
                defaults={
                    "summary": summary_text,
                    "description": _description(envelope.neighbourhood.name),
                    "category": category,
                    "cost_pence": pounds * 100,
                    "adjusted_cost_pence": council_pounds * 100 if council_pounds else None,
                    "status": status,
                    "review_reason": reason,
                    "author": resident if by_resident else None,
                    "resident_name": "" if by_resident else who,
                    "submitted_by_anchor": anchor if by_anchor else None,
                    "entered_by": anchor_staff if by_anchor else None,
                    "submitted_at": None
                    if status == S.DRAFT
                    else start + timedelta(days=1 + number, hours=number),
                },
            )
            summary.note(created)


def _description(neighbourhood: str) -> str:
    """The idea's longer text; the summary is shown above it, so it is not repeated here."""
    return (
        f"Lots of people in {neighbourhood} have talked about this at the community hub "
        "and on the local Facebook group. It would make a real difference to everyday life "
        "here, and it is something the neighbourhood could look after once it is done.\n\n"
        "I have asked around for rough prices, so the cost is a best guess."
    )
