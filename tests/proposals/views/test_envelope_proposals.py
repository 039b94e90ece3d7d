import pytest
from django.urls import reverse

from proposals.models import Proposal
from tests.proposals.factories import PublicProposalFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><b onmouseover="alert(1)">bold</b>'


def _url(envelope):
    return reverse("proposals-envelope", args=[envelope.pk])


def _titles(response):
    return [p.title for p in response.context["page"].object_list]


def test_it_lists_public_ideas_only(client, envelope):
    PublicProposalFactory(envelope=envelope, title="Shown")
    PublicProposalFactory(envelope=envelope, title="Draft", status="draft", submitted_at=None)
    PublicProposalFactory(envelope=envelope, title="Withdrawn", status="withdrawn")
    PublicProposalFactory(envelope=envelope, title="Hidden", hidden=True, hidden_reason="Abuse")
    response = client.get(_url(envelope))
    assert _titles(response) == ["Shown"]


def test_it_filters_by_category_and_status(client, envelope):
    PublicProposalFactory(
        envelope=envelope, title="Park", category="green_spaces", status="feasible"
    )
    PublicProposalFactory(envelope=envelope, title="Bins", category="streets_safety")
    response = client.get(_url(envelope), {"category": "green_spaces", "status": "feasible"})
    assert _titles(response) == ["Park"]


def test_it_searches_titles_summaries_and_descriptions(client, envelope):
    PublicProposalFactory(envelope=envelope, title="Trees", description="Plant oak trees.")
    PublicProposalFactory(envelope=envelope, title="Bins")
    assert _titles(client.get(_url(envelope), {"q": "OAK"})) == ["Trees"]


@pytest.mark.parametrize(
    ("sort", "expected"), [("cost_low", ["Cheap", "Dear"]), ("cost_high", ["Dear", "Cheap"])]
)
def test_it_sorts_by_the_councils_cost_where_there_is_one(client, envelope, sort, expected):
    PublicProposalFactory(
        envelope=envelope, title="Cheap", cost_pence=9_000_00, adjusted_cost_pence=100
    )
    PublicProposalFactory(envelope=envelope, title="Dear", cost_pence=5_000_00)
    assert _titles(client.get(_url(envelope), {"sort": sort})) == expected


def test_newest_first_puts_the_latest_submission_first(client, envelope):
    PublicProposalFactory(envelope=envelope, title="Old")
    PublicProposalFactory(envelope=envelope, title="New")
    assert _titles(client.get(_url(envelope), {"sort": "newest"})) == ["New", "Old"]


def test_the_random_order_stays_the_same_for_one_visitor(client, envelope):
    PublicProposalFactory.create_batch(25, envelope=envelope)
    first = [_titles(client.get(_url(envelope), {"page": n})) for n in (1, 2)]
    again = [_titles(client.get(_url(envelope), {"page": n})) for n in (1, 2)]
    assert first == again
    assert len(set(first[0] + first[1])) == 25


def test_the_random_order_differs_between_visitors(client_factory, envelope):
    PublicProposalFactory.create_batch(20, envelope=envelope)
    orders = {tuple(_titles(client_factory().get(_url(envelope)))) for _ in range(5)}
    assert len(orders) > 1


def test_it_paginates_twenty_to_a_page(client, envelope):
    PublicProposalFactory.create_batch(21, envelope=envelope)
    response = client.get(_url(envelope), {"page": 2, "sort": "newest"})
    assert len(response.context["page"].object_list) == 1
    assert "page=1" in response.content.decode()


def test_an_htmx_request_gets_the_list_fragment_alone(client, envelope):
    PublicProposalFactory(envelope=envelope, title="Benches")
    response = client.get(_url(envelope), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Benches" in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_same_address_gives_the_whole_page(client, envelope):
    response = client.get(_url(envelope), {"category": "green_spaces"})
    html = response.content.decode()
    assert "<html" in html
    assert 'hx-get="' in html and 'hx-push-url="true"' in html
    assert '<option value="green_spaces" selected>' in html


def test_unknown_filter_values_show_everything(client, envelope):
    PublicProposalFactory(envelope=envelope)
    response = client.get(_url(envelope), {"category": "nonsense", "sort": "DROP TABLE"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_user_text_is_escaped(client, envelope):
    PublicProposalFactory(envelope=envelope, title=XSS[:80], summary=XSS)
    html = client.get(_url(envelope), {"q": "<script>"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b onmouseover" not in html


def test_an_unknown_envelope_is_not_found(client, db):
    assert client.get(reverse("proposals-envelope", args=[999999])).status_code == 404


def test_the_list_needs_the_same_few_queries_however_many_ideas(
    client, envelope, django_assert_max_num_queries
):
    PublicProposalFactory.create_batch(3, envelope=envelope)
    # The first visit also stores the visitor's shuffle seed in a new session.
    with django_assert_max_num_queries(7):
        client.get(_url(envelope))
    with django_assert_max_num_queries(4):
        client.get(_url(envelope))
    PublicProposalFactory.create_batch(40, envelope=envelope, author=factory_user())
    with django_assert_max_num_queries(4):
        client.get(_url(envelope), {"page": 2})


def test_a_signed_in_visitor_costs_four_more_queries_at_most(
    client, resident, envelope, django_assert_max_num_queries
):
    # Session and user, their anchor organisations, and whether they may suggest an idea
    # here (where they live, how many ideas they have submitted), however many ideas.
    PublicProposalFactory.create_batch(30, envelope=envelope, author=resident)
    client.force_login(resident)
    client.get(_url(envelope))
    with django_assert_max_num_queries(8):
        client.get(_url(envelope), {"category": "green_spaces", "q": "idea", "sort": "newest"})


def test_the_htmx_fragment_needs_no_more_queries_than_the_page(
    client, envelope, django_assert_max_num_queries
):
    PublicProposalFactory.create_batch(30, envelope=envelope)
    client.get(_url(envelope))
    with django_assert_max_num_queries(4):
        client.get(_url(envelope), headers={"HX-Request": "true"})


def factory_user():
    from tests.accounts.factories import UserFactory

    return UserFactory()


def test_proposal_statuses_have_public_labels():
    assert Proposal.Status.SUBMITTED.label == "Waiting for review"
