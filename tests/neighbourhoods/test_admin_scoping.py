"""An officer sees only their own council's objects in the admin; others' are 404s."""

import csv
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from budgets.models import Envelope, Fund, Round
from neighbourhoods.models import AnchorOrganisation, Council, Neighbourhood, Postcode
from neighbourhoods.scoping import CouncilScopedAdmin
from proposals.models import Proposal
from tests.budgets.factories import EnvelopeFactory
from tests.conftest import with_two_factor
from tests.neighbourhoods.factories import AnchorOrganisationFactory, PostcodeFactory
from tests.proposals.factories import ProposalFactory
from voting.models import VoterCodeBatch
from voting.results.models import EnvelopeCount
from voting.services import voter_codes_generate

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [
    Council,
    Neighbourhood,
    Postcode,
    AnchorOrganisation,
    Fund,
    Round,
    Envelope,
    Proposal,
    VoterCodeBatch,
    EnvelopeCount,
]


@pytest.fixture
def riverton_objects(council):
    """One object of every scoped model, all in the officer's council (Riverton)."""
    envelope = EnvelopeFactory(round__fund__council=council)
    neighbourhood = envelope.neighbourhood
    return {
        Council: council,
        Neighbourhood: neighbourhood,
        Postcode: PostcodeFactory(neighbourhood=neighbourhood, postcode="CF24 2AB"),
        AnchorOrganisation: AnchorOrganisationFactory(council=council),
        Fund: envelope.round.fund,
        Round: envelope.round,
        Envelope: envelope,
        Proposal: ProposalFactory(envelope=envelope),
        VoterCodeBatch: voter_codes_generate(envelope_id=envelope.pk, size=1, created_by=None),
        EnvelopeCount: EnvelopeCount.objects.create(
            envelope=envelope,
            rule="greedy",
            tie_break="id",
            vote_type="approval",
            input_sha256="0" * 64,
            ballot_count=0,
            budget_pence=envelope.amount_pence,
            total_cost_pence=0,
            engine_version="test",
            shuffle_seed="seed",
            counted_at=timezone.now(),
        ),
    }


def _url(model, name, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def test_every_council_data_admin_is_scoped():
    scoped = {
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, CouncilScopedAdmin)
    }
    assert set(SCOPED_MODELS) <= scoped


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_councils_officer_gets_404(outsider_client, riverton_objects, model, view):
    obj = riverton_objects[model]
    assert outsider_client.get(_url(model, view, obj.pk)).status_code == 404


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_another_councils_officer_cannot_post_changes(outsider_client, riverton_objects, model):
    obj = riverton_objects[model]
    assert outsider_client.post(_url(model, "change", obj.pk), {}).status_code == 404
    assert model.objects.filter(pk=obj.pk).exists() is True


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_another_councils_officer_does_not_see_it_in_lists(
    outsider_client, riverton_objects, model
):
    response = outsider_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    assert riverton_objects[model].pk not in [o.pk for o in response.context["cl"].result_list]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_a_search_does_not_find_it_either(outsider_client, riverton_objects, model):
    response = outsider_client.get(_url(model, "changelist"), {"q": str(riverton_objects[model])})
    assert riverton_objects[model].pk not in [o.pk for o in response.context["cl"].result_list]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_the_councils_own_officer_sees_and_opens_it(officer_client, riverton_objects, model):
    obj = riverton_objects[model]
    response = officer_client.get(_url(model, "changelist"))
    assert [o.pk for o in response.context["cl"].result_list] == [obj.pk]
    assert officer_client.get(_url(model, "change", obj.pk)).status_code == 200
    assert officer_client.get(_url(model, "history", obj.pk)).status_code == 200


def _exported_ids(client, model) -> set[str]:
    form = client.get(_url(model, "export")).context["form"]
    fields = [name for name in form.fields if name not in {"resource", "format", "export_items"}]
    data = {"format": "0", "resource": "0", **dict.fromkeys(fields, "on")}
    response = client.post(_url(model, "export"), data)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row["id"] for row in rows}


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_exports_hold_only_the_officers_council(officer_client, outsider, riverton_objects, model):
    obj = riverton_objects[model]
    assert str(obj.pk) in _exported_ids(officer_client, model)
    officer_client.force_login(with_two_factor(outsider))
    assert str(obj.pk) not in _exported_ids(officer_client, model)


def test_autocomplete_offers_only_the_officers_council(outsider_client, riverton_objects):
    response = outsider_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "neighbourhoods",
            "model_name": "neighbourhood",
            "field_name": "council",
            "term": "",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Hillside Council"]


def test_foreign_key_choices_are_scoped(outsider_client, riverton_objects, other_council):
    response = outsider_client.get(_url(AnchorOrganisation, "add"))
    neighbourhoods = response.context["adminform"].form.fields["neighbourhoods"].queryset
    councils = response.context["adminform"].form.fields["council"].queryset
    assert list(neighbourhoods) == []
    assert list(councils) == [other_council]


def test_a_raw_id_to_another_councils_round_is_refused(
    outsider_client, riverton_objects, other_council
):
    from tests.neighbourhoods.factories import NeighbourhoodFactory

    mine = NeighbourhoodFactory(council=other_council)
    response = outsider_client.post(
        _url(Envelope, "add"),
        {"round": riverton_objects[Round].pk, "neighbourhood": mine.pk, "amount": "10"},
    )
    assert response.status_code == 200
    assert "round" in response.context["adminform"].form.errors
    assert Envelope.objects.filter(neighbourhood=mine).exists() is False


def test_officers_cannot_create_or_delete_councils(officer_client, council):
    assert officer_client.get(_url(Council, "add")).status_code == 403
    assert officer_client.get(_url(Council, "delete", council.pk)).status_code == 403


def test_officers_do_not_manage_user_accounts(officer_client):
    assert officer_client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_superusers_see_every_council(client, riverton_objects, other_council):
    from tests.accounts.factories import UserFactory

    root = with_two_factor(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(root)
    response = client.get(_url(Council, "changelist"))
    assert response.context["cl"].result_count == 2


@pytest.mark.parametrize(
    ("model", "shown"),
    [(Round, "Riverton Fund"), (Envelope, "Riverton Round"), (Fund, "Riverton Council")],
    ids=["rounds", "envelopes", "funds"],
)
def test_list_filters_name_only_the_officers_council(
    officer_client, outsider_client, council, other_council, model, shown
):
    mine = EnvelopeFactory(
        round__fund__council=council,
        round__fund__name="Riverton Fund",
        round__name="Riverton Round",
    )
    EnvelopeFactory(
        round__fund__council=other_council,
        round__fund__name="Hillside Fund",
        round__name="Hillside Round",
        neighbourhood__name="Hillside Splott",
    )
    assert mine.pk
    page = outsider_client.get(_url(model, "changelist")).content.decode()
    assert shown not in page
    assert "Riverton" not in page


def test_another_councils_anchor_staff_are_not_offered(outsider_client, council):
    from tests.accounts.factories import UserFactory

    theirs = UserFactory(email="volunteer@riverton.test", is_staff=True)
    AnchorOrganisationFactory(council=council).staff.add(theirs)
    response = outsider_client.get(_url(AnchorOrganisation, "add"))
    assert theirs not in response.context["adminform"].form.fields["staff"].queryset
