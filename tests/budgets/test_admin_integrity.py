"""No admin path bends a round's money, rules or results once it has left its draft:
edit, delete, bulk delete, bulk actions and History → Revert all refuse with the reason,
and the database refuses the same changes from anywhere else."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from budgets.models import Envelope, Fund, Round
from proposals.models import Proposal
from tests.budgets.factories import DraftRoundFactory, EnvelopeFactory, FundFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db
Phase = Round.Phase


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def published(council):
    """A round that went from its draft all the way to published, with history."""
    round_ = DraftRoundFactory(fund__council=council, counting_rule=Round.CountingRule.GREEDY)
    EnvelopeFactory(round=round_, amount_pence=10_000_00)
    for phase in list(Phase)[1:]:
        round_.phase = phase
        round_.save()
    return round_


def test_reverting_a_published_round_to_its_draft_is_refused(officer_client, published):
    draft = published.history.earliest()
    url = reverse("admin:budgets_round_simple_history", args=[published.pk, draft.history_id])

    page = officer_client.get(url)
    assert "has left its draft, so earlier versions cannot be restored" in page.content.decode()
    assert page.context["revert_disabled"] is True
    response = officer_client.post(url, {"name": published.name, "slug": published.slug})

    assert response.status_code == 302
    assert any("cannot be restored" in m for m in _messages(response))
    published.refresh_from_db()
    assert published.phase == Phase.PUBLISHED


def test_reverting_an_envelope_of_an_open_round_is_refused(officer_client, published):
    envelope = published.envelopes.get()
    version = envelope.history.earliest()
    url = reverse("admin:budgets_envelope_simple_history", args=[envelope.pk, version.history_id])
    response = officer_client.post(url, {"amount": "1"})
    assert any("cannot be restored" in m for m in _messages(response))


def test_reverting_a_fund_with_an_open_round_is_refused(officer_client, published):
    fund = published.fund
    version = fund.history.earliest()
    url = reverse("admin:budgets_fund_simple_history", args=[fund.pk, version.history_id])
    response = officer_client.post(url, {"name": "Renamed", "total": "1"})
    assert any("A fund with an open round cannot be reverted" in m for m in _messages(response))
    fund.refresh_from_db()
    assert fund.name != "Renamed"


def test_deleting_an_open_round_shows_the_reason_and_deletes_nothing(officer_client, council):
    round_ = EnvelopeFactory(round__fund__council=council, round__phase=Phase.VOTING_OPEN).round
    url = reverse("admin:budgets_round_delete", args=[round_.pk])
    page = officer_client.get(url, follow=True).content.decode()
    assert "has left its draft, so it is kept with its envelopes and results" in page
    officer_client.post(url, {"post": "yes"})
    assert Round.objects.filter(pk=round_.pk).exists() is True


def test_a_bulk_delete_of_rounds_is_refused_too(officer_client, council):
    round_ = EnvelopeFactory(round__fund__council=council, round__phase=Phase.VOTING_OPEN).round
    url = reverse("admin:budgets_round_changelist")
    data = {"action": "delete_selected", "_selected_action": [round_.pk], "post": "yes"}
    response = officer_client.post(url, data, follow=True)
    assert "has left its draft" in response.content.decode()
    assert Round.objects.filter(pk=round_.pk).exists() is True


PUBLIC_RECORD = "cannot be deleted: its results are published, and they are the public record."


@pytest.fixture
def published_with_ideas(published):
    ProposalFactory(envelope=published.envelopes.get(), status=Proposal.Status.ON_BALLOT)
    return published


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_published_round_says_it_is_the_public_record(
    officer_client, published_with_ideas, method
):
    # Found by a trial: the refusal said the account lacked permission to delete
    # proposals and envelope counts.
    url = reverse("admin:budgets_round_delete", args=[published_with_ideas.pk])
    response = getattr(officer_client, method)(url, {"post": "yes"}, follow=True)

    page = response.content.decode()
    assert f"“{published_with_ideas.name}” {PUBLIC_RECORD}" in page
    assert "permission" not in page
    assert Round.objects.filter(pk=published_with_ideas.pk).exists() is True


@pytest.mark.parametrize("confirmed", [{}, {"post": "yes"}])
def test_a_bulk_delete_of_a_published_round_says_it_is_the_public_record(
    officer_client, published_with_ideas, confirmed
):
    draft = DraftRoundFactory(fund=published_with_ideas.fund)
    url = reverse("admin:budgets_round_changelist")
    chosen = [published_with_ideas.pk, draft.pk]
    data = {"action": "delete_selected", "_selected_action": chosen, **confirmed}
    response = officer_client.post(url, data, follow=True)

    page = response.content.decode()
    assert f"“{published_with_ideas.name}” {PUBLIC_RECORD}" in page
    assert "permission" not in page
    # Nothing is deleted, the draft chosen with it neither.
    assert Round.objects.filter(pk__in=chosen).count() == 2


def test_draft_rounds_may_still_be_deleted_in_bulk(officer_client, council):
    draft = DraftRoundFactory(fund__council=council)
    url = reverse("admin:budgets_round_changelist")
    data = {"action": "delete_selected", "_selected_action": [draft.pk]}
    assert "Are you sure" in officer_client.post(url, data).content.decode()
    officer_client.post(url, {**data, "post": "yes"})
    assert Round.objects.filter(pk=draft.pk).exists() is False


def test_an_envelope_cannot_be_deleted_while_voting_is_open(officer_client, council):
    envelope = EnvelopeFactory(round__fund__council=council, round__phase=Phase.VOTING_OPEN)
    url = reverse("admin:budgets_envelope_delete", args=[envelope.pk])
    page = officer_client.get(url, follow=True).content.decode()
    assert "fixed: the round has left its draft" in page
    officer_client.post(url, {"post": "yes"})
    assert Envelope.objects.filter(pk=envelope.pk).exists() is True


def test_an_envelope_of_an_open_round_is_shown_not_changed(officer_client, council):
    envelope = EnvelopeFactory(round__fund__council=council, round__phase=Phase.VOTING_OPEN)
    url = reverse("admin:budgets_envelope_change", args=[envelope.pk])
    officer_client.post(
        url, {"round": envelope.round_id, "neighbourhood": envelope.neighbourhood_id, "amount": "1"}
    )
    envelope.refresh_from_db()
    assert envelope.amount_pence == 100_000_00


def test_the_publish_action_leads_to_the_review_not_straight_to_publishing(officer_client, council):
    round_ = EnvelopeFactory(round__fund__council=council, round__phase=Phase.COUNTED).round
    response = officer_client.post(
        reverse("admin:budgets_round_changelist"),
        {"action": "publish_results_action", "_selected_action": [round_.pk]},
    )
    assert response["Location"] == reverse("admin:voting_round_results", args=[round_.pk])
    round_.refresh_from_db()
    assert round_.phase == Phase.COUNTED


def test_a_counted_round_offers_no_move_to_published(officer_client, council):
    round_ = EnvelopeFactory(round__fund__council=council, round__phase=Phase.COUNTED).round
    page = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    html = page.content.decode()
    assert "Move to “Published”" not in html
    assert "Review the results and publish them" in html


def test_the_phase_button_is_not_inside_the_rounds_form(officer_client, council):
    round_ = EnvelopeFactory(round__fund__council=council, round__phase=Phase.DRAFT).round
    html = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    html = html.content.decode()
    phase_form, round_form = html.index('id="advance-phase"'), html.index('id="round_form"')
    assert html.index("</form>", phase_form) < round_form


def test_rules_of_an_open_round_cannot_change_in_the_admin(officer_client, council):
    round_ = EnvelopeFactory(
        round__fund__council=council,
        round__phase=Phase.PROPOSALS_OPEN,
        round__counting_rule=Round.CountingRule.GREEDY,
    ).round
    form = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    fields = form.context["adminform"].form.fields
    assert "counting_rule" not in fields
    assert "fund" not in fields


# --- Funds: never below what their rounds hand out --------------------------------


def test_a_fund_total_below_its_rounds_envelopes_is_refused_in_pounds(officer_client, council):
    fund = FundFactory(council=council, total_pence=100_000_00)
    EnvelopeFactory(round__fund=fund, round__phase=Phase.DRAFT, amount_pence=60_000_00)
    response = officer_client.post(
        reverse("admin:budgets_fund_change", args=[fund.pk]),
        {"name": fund.name, "total": "50,000", "source": ""},
    )
    html = response.content.decode()
    assert "already hand out £60,000 in envelopes, more than £50,000" in html
    assert "changed successfully" not in html
    fund.refresh_from_db()
    assert fund.total_pence == 100_000_00


def test_two_rounds_cannot_each_hand_out_the_whole_fund(officer_client, council):
    fund = FundFactory(council=council, total_pence=100_000_00)
    EnvelopeFactory(round__fund=fund, round__phase=Phase.DRAFT, amount_pence=100_000_00)
    second = DraftRoundFactory(fund=fund)
    place = NeighbourhoodFactory(council=council)
    response = officer_client.post(
        reverse("admin:budgets_round_split", args=[second.pk]),
        {"method": "equal", "neighbourhoods": [place.pk], "amount": "100,000", "confirm": "Save"},
    )
    assert "more than the fund" in response.content.decode()
    assert second.envelopes.exists() is False


def test_a_fund_total_of_nothing_is_refused_in_plain_english(officer_client):
    response = officer_client.post(
        reverse("admin:budgets_fund_add"), {"name": "Empty", "total": "0", "source": ""}
    )
    html = response.content.decode()
    assert "The amount must be at least £0.01." in html
    assert "budgets_fund_total_positive" not in html
    assert Fund.objects.exists() is False


def test_an_officers_fund_is_always_their_councils(officer_client, council):
    officer_client.post(
        reverse("admin:budgets_fund_add"), {"name": "Ours", "total": "2,500.50", "source": ""}
    )
    fund = Fund.objects.get()
    assert (fund.council, fund.total_pence) == (council, 2_500_50)


def test_the_database_keeps_a_fund_above_its_envelopes():
    envelope = EnvelopeFactory(round__fund__total_pence=100_000_00, amount_pence=60_000_00)
    with pytest.raises(IntegrityError, match="cannot be less than"), transaction.atomic():
        Fund.objects.filter(pk=envelope.round.fund_id).update(total_pence=50_000_00)


def test_the_database_refuses_envelopes_beyond_the_fund():
    envelope = EnvelopeFactory(round__fund__total_pence=100_000_00, amount_pence=60_000_00)
    other_round = DraftRoundFactory(fund=envelope.round.fund)
    with pytest.raises(IntegrityError, match="more than the fund"), transaction.atomic():
        Envelope.objects.create(
            round=other_round, neighbourhood=envelope.neighbourhood, amount_pence=50_000_00
        )


def test_the_database_refuses_to_change_or_delete_an_open_rounds_envelope():
    envelope = EnvelopeFactory(round__phase=Phase.VOTING_OPEN)
    with pytest.raises(IntegrityError, match="fixed"), transaction.atomic():
        Envelope.objects.filter(pk=envelope.pk).update(amount_pence=1)
    with pytest.raises(IntegrityError, match="fixed"), transaction.atomic():
        Envelope.objects.filter(pk=envelope.pk).delete()


def test_a_published_rounds_voting_dates_cannot_be_rewritten(officer_client, published):
    # Found by a trial: "Voting closes" of a published round was edited and saved.
    from datetime import timedelta

    page = officer_client.get(reverse("admin:budgets_round_change", args=[published.pk]))
    form = page.context["adminform"].form
    assert "voting_closes_at" not in form.fields
    assert "voting_opens_at" not in form.fields
    later = published.voting_closes_at + timedelta(days=60)
    with pytest.raises(IntegrityError, match="voting dates are fixed"), transaction.atomic():
        Round.objects.filter(pk=published.pk).update(voting_closes_at=later)


@pytest.mark.parametrize(
    ("phase", "field"),
    [
        (Phase.PROPOSALS_OPEN, "proposals_open_at"),
        (Phase.REVIEW, "review_starts_at"),
        (Phase.VOTING_OPEN, "voting_opens_at"),
    ],
)
def test_the_date_of_a_phase_that_has_begun_cannot_be_rewritten(phase, field):
    from datetime import timedelta

    from tests.budgets.factories import RoundFactory

    round_ = RoundFactory(phase=phase)
    earlier = getattr(round_, field) - timedelta(hours=1)
    setattr(round_, field, earlier)
    with pytest.raises(ValidationError, match="This date cannot change: its phase has begun."):
        round_.full_clean()
    with (
        pytest.raises(IntegrityError, match="fixed once their phase has begun"),
        transaction.atomic(),
    ):
        Round.objects.filter(pk=round_.pk).update(**{field: earlier})


def test_an_open_rounds_voting_dates_can_still_move(published):
    from datetime import timedelta

    round_ = DraftRoundFactory(fund=published.fund)
    round_.phase = Phase.PROPOSALS_OPEN
    round_.save()
    later = round_.voting_closes_at + timedelta(days=7)
    Round.objects.filter(pk=round_.pk).update(voting_closes_at=later)
    round_.refresh_from_db()
    assert round_.voting_closes_at == later


def test_a_round_past_its_draft_offers_no_split(officer_client, published):
    # Found by a trial: "Split the fund into envelopes" was offered on a published round.
    split = reverse("admin:budgets_round_split", args=[published.pk])
    page = officer_client.get(reverse("admin:budgets_round_change", args=[published.pk]))
    assert split not in page.content.decode()
    draft = DraftRoundFactory(fund=published.fund)
    page = officer_client.get(reverse("admin:budgets_round_change", args=[draft.pk]))
    assert reverse("admin:budgets_round_split", args=[draft.pk]) in page.content.decode()
