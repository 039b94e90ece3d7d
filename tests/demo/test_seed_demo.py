from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from budgets.models import Envelope, Fund, Round
from neighbourhoods.models import AnchorOrganisation, Council, Neighbourhood

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    "accounts.User",
    "neighbourhoods.Council",
    "neighbourhoods.Neighbourhood",
    "neighbourhoods.Postcode",
    "neighbourhoods.AnchorOrganisation",
    "budgets.Fund",
    "budgets.Round",
    "budgets.Envelope",
    "account.EmailAddress",
    "proposals.Proposal",
    "voting.Ballot",
    "voting.BallotChoice",
    "voting.EnvelopeCount",
    "voting.VoterCode",
]


def _counts():
    return {label: apps.get_model(label).objects.count() for label in SEEDED_MODELS}


def test_it_builds_a_council_with_three_neighbourhoods_and_every_role():
    call_command("seed_demo", stdout=StringIO())
    assert Council.objects.count() == 1
    assert Neighbourhood.objects.count() == 3
    assert AnchorOrganisation.objects.count() == 1
    # A round taking ideas, one with voting open so the demo resident can vote, and last
    # year's, counted and published, so its results can be explored.
    assert Fund.objects.count() == 3
    assert set(Round.objects.values_list("phase", flat=True)) == {
        "proposals_open",
        "voting_open",
        "published",
    }
    assert Envelope.objects.count() == 9
    officer = User.objects.get(email="officer@demo.test")
    assert officer.is_officer is True
    assert User.objects.get(email="anchor@demo.test").anchor_organisations.count() == 1
    resident = User.objects.get(email="resident@demo.test")
    assert Neighbourhood.objects.for_postcode(resident.home_postcode).exists() is True


def test_running_it_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first


def test_envelopes_never_exceed_their_fund():
    call_command("seed_demo", stdout=StringIO())
    rounds = list(Round.objects.select_related("fund"))
    assert len(rounds) == 3
    for round_ in rounds:
        assert round_.envelopes.exists()
        total = sum(round_.envelopes.values_list("amount_pence", flat=True))
        assert total <= round_.fund.total_pence


def test_last_years_demo_round_has_published_results_with_every_ballot_counted():
    from voting.models import Ballot
    from voting.results.models import EnvelopeCount

    call_command("seed_demo", stdout=StringIO())
    published = Round.objects.get(phase="published")
    # When voting opened and closed is on the record, as for a real round (a trial found
    # the admin showing "Voting closed: -").
    assert published.voting_opened_at == published.voting_opens_at
    assert published.voting_closed_at == published.voting_closes_at
    envelopes = list(published.envelopes.all())
    assert len(envelopes) == 3
    for envelope in envelopes:
        outcome = EnvelopeCount.objects.get(envelope=envelope)
        assert outcome.ballot_count == Ballot.objects.filter(envelope=envelope).count() > 0
        assert 0 < outcome.total_cost_pence <= envelope.amount_pence


def test_it_prints_unused_voter_codes_for_the_polling_station():
    # Found by a trial: the demo station could take no voter code, as the demo had none.
    out = StringIO()
    call_command("seed_demo", stdout=out)
    line = next(line for line in out.getvalue().splitlines() if "Unused voter codes" in line)
    printed = line.split(": ", 1)[1].split(", ")
    assert len(printed) == 5
    from voting.models import VoterCode

    codes = VoterCode.objects.filter(code__in=printed, used_on__isnull=True)
    assert codes.count() == 5
    assert {(c.envelope.neighbourhood.slug, c.envelope.round.name) for c in codes} == {
        ("splott", "Green Streets 2026")
    }
