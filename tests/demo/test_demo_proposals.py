from io import StringIO

import pytest
from django.core.management import call_command

from budgets.models import Envelope, Round
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_every_demo_envelope_gets_8_to_15_affordable_ideas_in_several_states():
    call_command("seed_demo", stdout=StringIO())
    envelopes = list(Envelope.objects.filter(round__phase=Round.Phase.PROPOSALS_OPEN))
    assert len(envelopes) == 3
    for envelope in envelopes:
        proposals = list(envelope.proposals.all())
        assert 8 <= len(proposals) <= 15
        assert len({p.status for p in proposals}) >= 4
        assert all(p.effective_cost_pence <= envelope.amount_pence for p in proposals)


def test_every_demo_idea_passes_the_models_own_checks():
    call_command("seed_demo", stdout=StringIO())
    proposals = list(Proposal.objects.all())
    # Three rounds of three neighbourhoods, each envelope with several ideas.
    assert len(proposals) >= 9 * 3
    for proposal in proposals:
        proposal.full_clean()


def test_the_demo_voting_round_has_affordable_ideas_on_every_ballot():
    call_command("seed_demo", stdout=StringIO())
    envelopes = list(Envelope.objects.filter(round__phase=Round.Phase.VOTING_OPEN))
    assert len(envelopes) == 3
    for envelope in envelopes:
        on_ballot = envelope.proposals.filter(status=Proposal.Status.ON_BALLOT)
        assert on_ballot.count() >= 3
        assert all(p.cost_pence <= envelope.amount_pence for p in on_ballot)


def test_a_demo_idea_page_says_its_summary_once(client):
    """The page shows the summary above the longer text, so the text must not repeat it."""
    call_command("seed_demo", stdout=StringIO())
    proposals = Proposal.objects.filter(status=Proposal.Status.ON_BALLOT)[:3]
    assert proposals
    for proposal in proposals:
        assert proposal.summary not in proposal.description
        html = client.get(proposal.get_absolute_url()).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert main.count(proposal.summary) == 1
