from datetime import timedelta

import pytest
from django import forms
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from budgets.models import Envelope, Round
from proposals.models import Proposal
from tests.budgets.factories import EnvelopeFactory, RoundFactory
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(council):
    round_ = RoundFactory(
        fund__council=council, fund__total_pence=90_000_00, phase=Round.Phase.DRAFT
    )
    for name, population in [("Ash", 1000), ("Birch", 2000)]:
        NeighbourhoodFactory(council=council, name=name, population=population)
    return round_


def _split_url(round_):
    return reverse("admin:budgets_round_split", args=[round_.pk])


def _split_data(round_, **extra):
    ids = [str(n.pk) for n in round_.fund.council.neighbourhoods.all()]
    return {"method": "population", "neighbourhoods": ids, "amount": "90,000", **extra}


def test_the_split_page_previews_without_saving(officer_client, round_):
    response = officer_client.post(_split_url(round_), _split_data(round_, preview="Preview"))
    html = response.content.decode()
    assert "£30,000" in html and "£60,000" in html and "£90,000" in html
    assert Envelope.objects.exists() is False


def test_confirming_the_split_saves_the_envelopes(officer_client, round_):
    response = officer_client.post(_split_url(round_), _split_data(round_, confirm="Save"))
    assert response.status_code == 302
    assert sorted(Envelope.objects.values_list("amount_pence", flat=True)) == [30_000_00, 60_000_00]


@pytest.mark.parametrize("button", ["preview", "confirm"])
def test_splitting_more_than_the_fund_shows_the_reason_once(officer_client, round_, button):
    # Found by a trial: the preview showed a split bigger than the fund with no warning,
    # and saving printed the reason twice.
    response = officer_client.post(
        _split_url(round_), _split_data(round_, amount="90,000.01", **{button: "x"})
    )
    page = response.content.decode()
    assert page.count("more than the fund") == 1
    assert "Save these envelopes" not in page
    assert Envelope.objects.exists() is False


def test_a_bad_amount_is_explained(officer_client, round_):
    response = officer_client.post(
        _split_url(round_), _split_data(round_, amount="lots", preview="Preview")
    )
    assert "Enter an amount in pounds, like 2500 or 2,500.50." in response.content.decode()


def test_advancing_by_hand_moves_one_phase(officer_client, round_):
    EnvelopeFactory(round=round_, amount_pence=1_000_00)
    officer_client.post(
        reverse("admin:budgets_round_advance", args=[round_.pk]), {"to_phase": "proposals_open"}
    )
    round_.refresh_from_db()
    assert round_.phase == Round.Phase.PROPOSALS_OPEN


def test_an_illegal_advance_shows_the_reason_and_changes_nothing(officer_client, round_):
    response = officer_client.post(
        reverse("admin:budgets_round_advance", args=[round_.pk]),
        {"to_phase": "voting_open"},
        follow=True,
    )
    assert "can only move to “Proposals open”" in response.content.decode()
    round_.refresh_from_db()
    assert round_.phase == Round.Phase.DRAFT


def test_rule_fields_are_read_only_once_voting_opens(officer_client, council):
    round_ = RoundFactory(fund__council=council, phase=Round.Phase.VOTING_OPEN)
    response = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    form_fields = response.context["adminform"].form.fields
    assert "counting_rule" not in form_fields
    assert "ballot_rule" not in form_fields


def test_the_rule_choices_show_each_name_in_bold_once_with_its_sentence_as_a_hint(
    officer_client, round_
):
    response = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    page = response.content.decode()
    assert '<strong class="nd-rule-name">Sequential Phragmén</strong>' in page
    assert page.count("Sequential Phragmén") == 1
    assert '<span class="nd-rule-hint">Picture every voter earning money' in page


def test_every_description_the_round_form_points_at_is_on_the_page(officer_client, round_):
    # Found by a trial: the counting rules' fieldset pointed at "_helptext", which no
    # element has (Django's admin names a radio group's help text after an empty id).
    page = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    ids, described_by = _ids_and_descriptions(page.content.decode())

    assert "id_counting_rule_helptext" in described_by
    # Django's admin script adds each date's time-zone warning where the officer's clock
    # differs from the council's; the page itself has none.
    added_by_script = {i for i in described_by if i.endswith("_timezone_warning_helptext")}
    assert described_by - added_by_script - ids == set()


def _ids_and_descriptions(html: str) -> tuple[set[str], set[str]]:
    """Every id in the page, and every id an aria-describedby names."""
    from html.parser import HTMLParser

    ids: set[str] = set()
    described_by: set[str] = set()

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found = dict(attrs)
            if found.get("id"):
                ids.add(found["id"])
            described_by.update((found.get("aria-describedby") or "").split())

    Reader().feed(html)
    return ids, described_by


def test_the_platforms_recommended_rule_is_marked_and_no_other(officer_client, round_):
    response = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    page = response.content.decode()
    assert page.count('class="nd-rule-tag"') == 1
    default = Round.CountingRule.EQUAL_SHARES_ADD1_COMPARISON.label
    assert f'{default}</strong> <span class="nd-rule-tag">recommended</span>' in page


def test_a_round_past_its_draft_shows_its_rules_sentence_too(officer_client, council):
    round_ = RoundFactory(
        fund__council=council, phase=Round.Phase.VOTING_OPEN, counting_rule="phragmen"
    )
    response = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    page = response.content.decode()
    assert '<strong class="nd-rule-name">Sequential Phragmén</strong>' in page
    assert "Picture every voter earning money" in page
    # And why it cannot be chosen again here (found by a trial: it just looked stuck),
    # with no "recommended" beside it, which read as advice to act (a second trial).
    assert "The rule cannot change once a round has left its draft" in page
    assert 'class="nd-rule-tag"' not in page


def test_a_draft_round_offers_the_rule_without_saying_it_is_fixed(officer_client, round_):
    response = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    assert "cannot change once a round has left its draft" not in response.content.decode()


def _round_form(round_, officer, **changes):
    """The round's change form as the admin gives it to ``officer`` (read-only fields left
    off), bound to what the browser sends with ``changes`` made."""
    request = RequestFactory().get("/")
    request.user = officer
    form_class = admin.site.get_model_admin(Round).get_form(request, round_, change=True)
    return form_class(_posted(form_class(instance=round_), **changes), instance=round_)


def _save_round(client, round_, **changes):
    """Send the round's change form as the officer's page shows it, with ``changes``."""
    url = reverse("admin:budgets_round_change", args=[round_.pk])
    shown = client.get(url).context["adminform"].form
    return client.post(url, _posted(shown, **changes))


def _posted(form, **changes) -> dict:
    """What the browser sends for ``form`` with ``changes``: a date is given as a datetime
    and sent in its two boxes, date and time."""
    data = {}
    for name, value in ({bound.name: bound.value() for bound in form} | changes).items():
        widget = form.fields[name].widget
        if isinstance(widget, forms.MultiWidget):
            parts = zip(widget.widgets, widget.decompress(value), strict=True)
            data |= {
                f"{name}_{i}": box.format_value(part) or "" for i, (box, part) in enumerate(parts)
            }
        elif value is True:
            data[name] = "on"
        elif value is not None and value is not False:
            data[name] = value
    return data


def _stored(round_) -> dict:
    return Round.objects.values().get(pk=round_.pk)


def test_the_threshold_rule_without_a_threshold_is_refused_beside_that_field(officer, round_):
    # Found by a trial: the database's refusal sat at the top of a long form.
    form = _round_form(round_, officer, counting_rule="greedy-threshold", min_votes="")

    assert not form.is_valid()
    assert form.errors["min_votes"] == [
        "Give the fewest votes a proposal needs, 1 or more: the rule “Most votes first, with "
        "a minimum of votes” funds only proposals with at least that many."
    ]
    assert set(form.errors) == {"min_votes"}
    round_.refresh_from_db()
    assert round_.counting_rule != "greedy-threshold"


@pytest.mark.parametrize("divisor", ["0", "-5"])
def test_a_cost_share_divisor_below_1_is_refused_beside_its_field(officer, round_, divisor):
    # Found by trials: 0 was saved, and the count would have refused the round; then 0 and
    # -5 were refused in Django's words ("Ensure this value is greater than or equal to …").
    form = _round_form(round_, officer, cost_share_divisor=divisor)

    assert form.errors == {
        "cost_share_divisor": ["Give 1 or more, or leave it empty for no support threshold."]
    }
    round_.refresh_from_db()
    assert round_.cost_share_divisor is None


@pytest.mark.parametrize("most", ["0", "-1"])
def test_choose_up_to_a_set_number_of_0_says_it_must_be_1_or_more(officer, round_, most):
    # Found by a trial: 0 was told "give the most proposals a voter may choose".
    form = _round_form(round_, officer, ballot_rule="k_approval", max_choices=most)

    assert form.errors == {
        "max_choices": ["The most proposals a voter may choose must be 1 or more."]
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("points_total", "0", "The points each voter spreads must be 1 or more."),
        ("points_per_proposal_max", "-3", "The most points on one proposal must be 1 or more."),
        ("min_votes", "-1", "Give 0 or more, or leave it empty for no minimum."),
        ("minimum_age", "-16", "Give an age in years, or leave it empty for no minimum age."),
    ],
)
def test_a_number_below_what_its_field_takes_is_refused_in_plain_words(
    officer, round_, field, value, message
):
    points = {"ballot_rule": "cumulative", "points_total": 10, "points_per_proposal_max": 5}
    form = _round_form(round_, officer, **(points | {field: value}))

    assert form.errors == {field: [message]}
    assert "Ensure this value" not in str(form.errors)


def test_phragmen_with_points_ballots_is_refused_beside_the_counting_rule(officer, round_):
    # Found by a trial: saved, though Phragmén's rule is not defined for points.
    form = _round_form(
        round_,
        officer,
        counting_rule="phragmen",
        ballot_rule="cumulative",
        points_total="10",
        points_per_proposal_max="5",
    )

    assert not form.is_valid()
    assert form.errors["counting_rule"] == [
        "“Sequential Phragmén” counts ballots that choose proposals, not “Spread points”: "
        "choose another ballot rule or counting rule."
    ]
    assert set(form.errors) == {"counting_rule"}
    round_.refresh_from_db()
    assert (round_.counting_rule, round_.ballot_rule) != ("phragmen", "cumulative")


# A change made in the admin's own form that breaks each check constraint of a round (in
# its draft every field may change).
BREAKING_CHANGES = {
    "budgets_round_review_after_proposals_open": lambda r: {
        "review_starts_at": r.proposals_open_at
    },
    "budgets_round_voting_opens_after_review_starts": lambda r: {
        "voting_opens_at": r.review_starts_at - timedelta(hours=1)
    },
    "budgets_round_voting_closes_after_it_opens": lambda r: {"voting_closes_at": r.voting_opens_at},
    "budgets_round_k_approval_needs_k": lambda r: {"ballot_rule": "k_approval"},
    # The round is a "Choose proposals that fit the budget" ballot.
    "budgets_round_max_choices_only_for_k_approval": lambda r: {"max_choices": 3},
    "budgets_round_points_total_only_for_spread_points": lambda r: {"points_total": 10},
    "budgets_round_points_max_only_for_spread_points": lambda r: {"points_per_proposal_max": 5},
    "budgets_round_cumulative_needs_points_total": lambda r: {
        "ballot_rule": "cumulative",
        "points_per_proposal_max": 5,
    },
    "budgets_round_cumulative_needs_points_max": lambda r: {
        "ballot_rule": "cumulative",
        "points_total": 10,
    },
    "budgets_round_points_max_within_total": lambda r: {
        "ballot_rule": "cumulative",
        "points_total": 10,
        "points_per_proposal_max": 15,
    },
    "budgets_round_threshold_rule_needs_min_votes": lambda r: {"counting_rule": "greedy-threshold"},
    "budgets_round_cost_share_divisor_at_least_1": lambda r: {"cost_share_divisor": 0},
    "budgets_round_phragmen_needs_chosen_proposals": lambda r: {
        "counting_rule": "phragmen",
        "ballot_rule": "cumulative",
        "points_total": 10,
        "points_per_proposal_max": 5,
    },
}


def test_every_check_constraint_of_a_round_has_a_change_below_that_breaks_it():
    checks = {c.name for c in Round._meta.constraints if isinstance(c, models.CheckConstraint)}
    assert checks == set(BREAKING_CHANGES)


@pytest.mark.parametrize("name", sorted(BREAKING_CHANGES))
def test_a_change_the_database_would_refuse_is_refused_beside_its_field(
    officer_client, round_, name
):
    before = _stored(round_)
    response = _save_round(officer_client, round_, **BREAKING_CHANGES[name](round_))

    assert response.status_code == 200
    constraint = next(c for c in Round._meta.constraints if c.name == name)
    field = Round.CONSTRAINT_FIELDS[name][-1]
    assert response.context["adminform"].form.errors == {
        field: [constraint.violation_error_message]
    }
    assert _stored(round_) == before


def _round_in(council, phase, *, days_ago=100):
    start = timezone.now().replace(microsecond=0) - timedelta(days=days_ago)
    return RoundFactory(fund__council=council, phase=phase, start=start)


def test_a_published_rounds_proposals_moved_after_voting_change_nothing_and_no_500(
    officer_client, council
):
    # Found by a trial: "Proposals open" moved past the day voting opened gave Django's
    # error page: the form skipped its date check where voting's dates were read-only.
    # The date is now fixed (its phase has begun); sent anyway, it is ignored.
    published = _round_in(council, Round.Phase.PUBLISHED)
    before = _stored(published)
    url = reverse("admin:budgets_round_change", args=[published.pk])
    shown = officer_client.get(url).context["adminform"].form
    assert "proposals_open_at" not in shown.fields
    later = timezone.localtime(published.voting_opens_at + timedelta(days=1))
    sent = {"proposals_open_at_0": f"{later:%d/%m/%Y}", "proposals_open_at_1": f"{later:%H:%M:%S}"}

    response = officer_client.post(url, _posted(shown) | sent)

    assert response.status_code == 302
    assert _stored(published) == before


def test_a_date_out_of_order_with_a_fixed_date_is_refused_beside_it(officer_client, council):
    # In review, when review started is fixed and voting's opening is not.
    in_review = _round_in(council, Round.Phase.REVIEW, days_ago=30)
    before = _stored(in_review)
    earlier = in_review.review_starts_at - timedelta(hours=1)
    response = _save_round(officer_client, in_review, voting_opens_at=earlier)

    assert response.context["adminform"].form.errors == {
        "voting_opens_at": ["Voting cannot open before review starts."]
    }
    assert _stored(in_review) == before


ALL_DATES = ["proposals_open_at", "review_starts_at", "voting_opens_at", "voting_closes_at"]


@pytest.mark.parametrize(
    ("phase", "may_change"),
    [
        (Round.Phase.DRAFT, ALL_DATES),
        (Round.Phase.PROPOSALS_OPEN, ALL_DATES[1:]),
        (Round.Phase.REVIEW, ALL_DATES[2:]),
        (Round.Phase.VOTING_OPEN, ALL_DATES[3:]),
        (Round.Phase.VOTING_CLOSED, []),
        (Round.Phase.COUNTED, []),
        (Round.Phase.PUBLISHED, []),
    ],
)
def test_only_the_dates_of_phases_still_to_come_may_change(
    officer_client, council, phase, may_change
):
    round_ = _round_in(council, phase)
    page = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    form = page.context["adminform"].form
    assert [f for f in ALL_DATES if f in form.fields] == may_change
    html = page.content.decode()
    assert ("The date of a phase that has begun cannot change" in html) is (
        phase != Round.Phase.DRAFT
    )
    assert ("Later dates can still move" in html) is (
        phase in (Round.Phase.PROPOSALS_OPEN, Round.Phase.REVIEW, Round.Phase.VOTING_OPEN)
    )


@pytest.mark.parametrize(
    ("phase", "rows"),
    [
        (Round.Phase.REVIEW, [*ALL_DATES[:2], "dates_fixed", *ALL_DATES[2:]]),
        (Round.Phase.PUBLISHED, [*ALL_DATES, "dates_fixed"]),
    ],
)
def test_the_dates_keep_their_order_with_the_reason_after_the_fixed_ones(
    officer_client, council, phase, rows
):
    round_ = _round_in(council, phase)
    page = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    fields = [f for fieldset in page.context["adminform"] for line in fieldset for f in line]
    names = [f.field["name"] if isinstance(f.field, dict) else f.field.name for f in fields]
    assert [n for n in names if n in rows] == rows


def test_voting_may_still_be_extended_while_it_is_open(officer_client, council):
    voting = _round_in(council, Round.Phase.VOTING_OPEN, days_ago=45)
    later = voting.voting_closes_at + timedelta(days=7)
    response = _save_round(officer_client, voting, voting_closes_at=later)

    assert response.status_code == 302
    voting.refresh_from_db()
    assert voting.voting_closes_at == later


def test_a_slug_another_round_of_the_fund_has_is_refused_beside_it_past_the_draft(
    officer_client, council
):
    # Past the draft the fund is read-only, and Django skipped the check of fund and slug.
    open_round = RoundFactory(fund__council=council, phase=Round.Phase.PROPOSALS_OPEN)
    other = RoundFactory(fund=open_round.fund, phase=Round.Phase.DRAFT)
    response = _save_round(officer_client, open_round, slug=other.slug)

    assert response.context["adminform"].form.errors == {
        "slug": ["This fund already has a round with that slug."]
    }


def test_a_constraint_no_form_checked_is_still_a_message_not_a_500(
    officer_client, round_, monkeypatch
):
    from budgets.admin import RoundForm

    monkeypatch.setattr(RoundForm, "validate_constraints", lambda form: None)
    response = _save_round(officer_client, round_, voting_closes_at=round_.voting_opens_at)

    assert response.status_code == 302
    page = officer_client.get(response["Location"]).content.decode()
    assert "Voting must close after it opens." in page
    assert "changed successfully" not in page
    round_.refresh_from_db()
    assert round_.voting_closes_at > round_.voting_opens_at


def test_more_points_on_one_proposal_than_a_voter_spreads_is_refused_beside_it(officer, round_):
    # Found by a trial: 15 points on one proposal out of 10 in all was saved.
    form = _round_form(
        round_, officer, ballot_rule="cumulative", points_total=10, points_per_proposal_max=15
    )

    assert form.errors == {
        "points_per_proposal_max": [
            "The most points on one proposal cannot be more than the points each voter spreads."
        ]
    }
    assert _round_form(
        round_, officer, ballot_rule="cumulative", points_total=10, points_per_proposal_max=10
    ).is_valid()


def test_a_most_choices_for_a_ballot_that_ignores_it_is_refused_beside_it(officer, round_):
    # Found by a trial: an "Approval" round kept "Most proposals a voter may choose: 3",
    # which only "Choose up to a set number" uses.
    form = _round_form(round_, officer, ballot_rule="approval", max_choices=3)

    assert form.errors == {
        "max_choices": [
            "This is only used with “Choose up to a set number”: leave it empty for this "
            "ballot rule."
        ]
    }
    assert _round_form(round_, officer, ballot_rule="k_approval", max_choices=3).is_valid()


def test_points_for_a_ballot_that_ignores_them_are_refused_beside_them(officer, round_):
    form = _round_form(
        round_, officer, ballot_rule="approval", points_total=10, points_per_proposal_max=5
    )

    refused = ["This is only used with “Spread points”: leave it empty for this ballot rule."]
    assert form.errors == {"points_total": refused, "points_per_proposal_max": refused}


def test_changes_in_the_admin_are_in_the_audit_trail(officer_client, officer, council):
    envelope = EnvelopeFactory(
        round__fund__council=council, round__phase=Round.Phase.DRAFT, amount_pence=10_000_00
    )
    officer_client.post(
        reverse("admin:budgets_envelope_change", args=[envelope.pk]),
        {
            "round": envelope.round_id,
            "neighbourhood": envelope.neighbourhood_id,
            "amount": "12,500",
        },
    )
    latest = envelope.history.latest()
    assert latest.amount_pence == 12_500_00
    assert latest.history_user == officer
    assert latest.diff_against(latest.prev_record).changed_fields == ["amount_pence"]
    history = officer_client.get(reverse("admin:budgets_envelope_history", args=[envelope.pk]))
    assert officer.email in history.content.decode() or str(officer) in history.content.decode()


def test_an_envelope_over_the_fund_is_refused_in_the_admin(officer_client, council):
    envelope = EnvelopeFactory(
        round__fund__council=council,
        round__fund__total_pence=10_000_00,
        round__phase=Round.Phase.DRAFT,
        amount_pence=5_000_00,
    )
    response = officer_client.post(
        reverse("admin:budgets_envelope_change", args=[envelope.pk]),
        {
            "round": envelope.round_id,
            "neighbourhood": envelope.neighbourhood_id,
            "amount": "10,000.01",
        },
    )
    assert "more than the fund" in response.content.decode()
    envelope.refresh_from_db()
    assert envelope.amount_pence == 5_000_00


def test_closing_voting_before_its_date_asks_first(officer_client, council):
    # Found by a trial: "Move to “Voting closed”" closed the vote 30 days early in one click.
    from django.utils import timezone

    from tests.voting.conftest import make_voting_envelope

    open_round = make_voting_envelope(council).round
    assert open_round.voting_closes_at > timezone.now()
    url = reverse("admin:budgets_round_advance", args=[open_round.pk])
    page = officer_client.post(url, {"to_phase": "voting_closed"})
    assert page.status_code == 200
    assert "This cannot be undone." in page.content.decode()
    open_round.refresh_from_db()
    assert open_round.phase == Round.Phase.VOTING_OPEN

    officer_client.post(url, {"to_phase": "voting_closed", "early_close_confirmed": "yes"})
    open_round.refresh_from_db()
    assert open_round.phase == Round.Phase.VOTING_CLOSED


def _round_in_review(council, *, ideas_on_ballot):
    envelope = EnvelopeFactory(
        round__fund__council=council, round__phase=Round.Phase.REVIEW, neighbourhood__name="Splott"
    )
    for _ in range(ideas_on_ballot):
        ProposalFactory(envelope=envelope, status=Proposal.Status.ON_BALLOT)
    ProposalFactory(envelope=envelope, status=Proposal.Status.SUBMITTED)
    return envelope.round


def test_opening_voting_asks_first_and_says_how_many_ideas_each_ballot_has(officer_client, council):
    round_ = _round_in_review(council, ideas_on_ballot=2)
    response = officer_client.post(
        reverse("admin:budgets_round_advance", args=[round_.pk]), {"to_phase": "voting_open"}
    )
    html = response.content.decode()
    assert "Open voting in" in html
    # The breadcrumbs lead back to the round (the round pages' shared base).
    change = reverse("admin:budgets_round_change", args=[round_.pk])
    assert f'<a href="{change}">{round_}</a>\n    &rsaquo; Open voting' in html
    assert "<tr><td>Splott</td><td>2</td></tr>" in html
    assert "Voting is set to open on" in html
    round_.refresh_from_db()
    assert round_.phase == Round.Phase.REVIEW


def test_confirming_opens_voting_early_and_the_round_says_so(officer_client, council):
    round_ = _round_in_review(council, ideas_on_ballot=1)
    officer_client.post(
        reverse("admin:budgets_round_advance", args=[round_.pk]),
        {"to_phase": "voting_open", "voting_open_confirmed": "yes"},
    )
    round_.refresh_from_db()
    assert round_.phase == Round.Phase.VOTING_OPEN
    page = officer_client.get(reverse("admin:budgets_round_change", args=[round_.pk]))
    assert "Opened early on" in page.content.decode()
    listing = officer_client.get(reverse("admin:budgets_round_changelist"))
    assert "Opened early on" in listing.content.decode()


def test_opening_voting_with_an_empty_ballot_is_refused_naming_the_envelope(
    officer_client, council
):
    round_ = _round_in_review(council, ideas_on_ballot=0)
    for confirmed in ["", "yes"]:
        response = officer_client.post(
            reverse("admin:budgets_round_advance", args=[round_.pk]),
            {"to_phase": "voting_open", "voting_open_confirmed": confirmed},
            follow=True,
        )
        assert "no idea on the ballot yet: Splott" in response.content.decode()
    round_.refresh_from_db()
    assert round_.phase == Round.Phase.REVIEW


def test_a_closed_round_says_its_votes_are_being_counted_and_offers_no_delete(
    officer_client, council
):
    draft = RoundFactory(fund__council=council, phase=Round.Phase.DRAFT)
    closed = RoundFactory(fund__council=council, phase=Round.Phase.VOTING_CLOSED)
    draft_page = officer_client.get(reverse("admin:budgets_round_change", args=[draft.pk]))
    assert reverse("admin:budgets_round_delete", args=[draft.pk]) in draft_page.content.decode()
    assert "being counted" not in draft_page.content.decode()
    page = officer_client.get(reverse("admin:budgets_round_change", args=[closed.pk]))
    html = page.content.decode()
    assert "The votes are being counted now" in html and "Reload this page" in html
    # Past its draft a round can only be refused deletion: no link to try.
    assert reverse("admin:budgets_round_delete", args=[closed.pk]) not in html
