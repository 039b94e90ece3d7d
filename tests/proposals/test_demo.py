from io import StringIO

import pytest
from django.core.management import call_command

from budgets.models import Envelope, Round
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_every_demo_envelope_gets_8_to_15_affordable_ideas_in_several_states():
    call_command("seed_demo", stdout=StringIO())
    for envelope in Envelope.objects.filter(round__phase=Round.Phase.PROPOSALS_OPEN):
        proposals = list(envelope.proposals.all())
        assert 8 <= len(proposals) <= 15
        assert len({p.status for p in proposals}) >= 4
        assert all(p.effective_cost_pence <= envelope.amount_pence for p in proposals)


def test_every_demo_idea_passes_the_models_own_checks():
    call_command("seed_demo", stdout=StringIO())
    for proposal in Proposal.objects.all():
        proposal.full_clean()


def test_the_demo_voting_round_has_affordable_ideas_on_every_ballot():
    call_command("seed_demo", stdout=StringIO())
    for envelope in Envelope.objects.filter(round__phase=Round.Phase.VOTING_OPEN):
        on_ballot = envelope.proposals.filter(status=Proposal.Status.ON_BALLOT)
        assert on_ballot.count() >= 3
        assert all(p.cost_pence <= envelope.amount_pence for p in on_ballot)
