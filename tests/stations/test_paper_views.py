"""The paper ballot pages through Django's test client: bounded queries, Welsh, the kiosk
staff screen's printable ballot, refusals on screen with nothing changed."""

import pytest
from django.urls import reverse
from django.utils import translation

from budgets.models import Round
from budgets.services import round_advance
from stations import paper
from stations.models import StationSession
from stations.paper_models import PaperBatch, PaperEntry
from tests.conftest import with_two_factor
from tests.stations.factories import STAFF_PIN
from voting.results.tasks import count_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, anchor_staff):
    client.force_login(anchor_staff)
    return client


def _handed_out(session, n):
    """Papers handed out on the tablet (the hand-out itself: test_paper_issue.py)."""
    StationSession.objects.filter(pk=session.pk).update(papers_issued_recorded=n)


def _batches(session, envelope, anchor_staff, on_ballot, n):
    _handed_out(session, 2 * n)
    for _ in range(n):
        batch = paper.batch_start(
            user=anchor_staff, envelope_id=envelope.pk, papers=2, session_id=session.pk
        )
        paper.keying_start(batch_id=batch.pk, user=anchor_staff)
        paper.paper_enter(
            batch_id=batch.pk, user=anchor_staff, position=1, choices={on_ballot["Trees"]: 1}
        )


@pytest.mark.parametrize("n", [1, 6])
def test_the_batch_list_has_a_bounded_query_count(
    staff_client, session, envelope, anchor_staff, on_ballot, n, django_assert_max_num_queries
):
    _batches(session, envelope, anchor_staff, on_ballot, n)
    # Session, user, two-factor, anchor staff, batches, their keyings, entries and checked
    # papers, printable envelopes: the keyings are read once, for the figures and for
    # "which did you key".
    with django_assert_max_num_queries(9):
        response = staff_client.get(reverse("stations-paper-list"))
    assert response.status_code == 200
    assert len(response.context["figures"]) == n
    assert response.context["figures"][0].first == 1
    assert response.context["mine"] == set(PaperBatch.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("n", [1, 6])
def test_officers_see_paper_figures_by_station_and_batch_in_bounded_queries(
    officer_client, session, envelope, anchor_staff, on_ballot, n, django_assert_max_num_queries
):
    _batches(session, envelope, anchor_staff, on_ballot, n)
    with django_assert_max_num_queries(26):
        response = officer_client.get(reverse("admin:stations_pollingstation_figures"))
    page = response.content.decode()
    (source,) = response.context["paper"][envelope.round_id]
    assert source.label == "Splott Community Centre"
    assert (source.papers, source.waiting, source.checked) == (2 * n, n, 0)
    assert "These paper ballot batches are not checked yet" in page
    assert reverse("stations-paper-pdf", args=[envelope.pk]) in page


def test_the_paper_ballot_pages_speak_welsh(
    staff_client, session, envelope, anchor_staff, on_ballot
):
    _batches(session, envelope, anchor_staff, on_ballot, 1)
    batch = PaperBatch.objects.get()
    with translation.override("cy"):
        listing = staff_client.get(reverse("stations-paper-list"), HTTP_ACCEPT_LANGUAGE="cy")
        keying = staff_client.get(
            reverse("stations-paper-key", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="cy"
        )
    assert "Papurau pleidleisio" in listing.content.decode()
    assert "Wrthi&#x27;n cael ei fewnbynnu" in listing.content.decode()
    assert "Papur 2 o 2" in keying.content.decode()


def test_a_paper_against_the_rule_is_refused_on_screen_and_nothing_is_saved(
    staff_client, session, envelope, anchor_staff, on_ballot
):
    _handed_out(session, 1)
    batch = paper.batch_start(
        user=anchor_staff, envelope_id=envelope.pk, papers=1, session_id=session.pk
    )
    url = reverse("stations-paper-key", args=[batch.pk])
    staff_client.post(url, {"action": "start"})
    response = staff_client.post(
        url, {"position": "1", "choice": [on_ballot["Trees"], on_ballot["Play area"]]}
    )
    assert response.status_code == 400
    assert "£5,000 more than the £30,000 available" in response.content.decode()
    assert not PaperEntry.objects.exists()
    response = staff_client.post(url, {"position": "1", "choice": ["x"]})
    assert response.status_code == 400
    assert not PaperEntry.objects.exists()


def test_the_kiosk_staff_screen_prints_the_paper_ballot(client, station, envelope, anchor_staff):
    client.force_login(with_two_factor(anchor_staff))
    client.post(reverse("stations-open", args=[station.pk]), {"pin": STAFF_PIN})
    pdf_url = reverse("stations-kiosk-paper-pdf", args=[envelope.pk])
    assert client.get(pdf_url)["Location"] == reverse("stations-kiosk-unlock")
    client.post(reverse("stations-kiosk-unlock"), {"pin": STAFF_PIN})
    staff_screen = client.get(reverse("stations-kiosk-staff")).content.decode()
    assert pdf_url in staff_screen
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.django_db(transaction=True)
def test_the_count_started_by_closing_waits_for_the_batches(
    session, envelope, anchor_staff, on_ballot
):
    _batches(session, envelope, anchor_staff, on_ballot, 1)
    round_advance(round_id=envelope.round_id, to_phase=Round.Phase.VOTING_CLOSED)
    # The task the close starts refuses, records why, and leaves the round closed.
    assert count_round(envelope.round_id) == []
    envelope.round.refresh_from_db()
    assert envelope.round.phase == Round.Phase.VOTING_CLOSED


def test_closing_voting_says_the_count_will_wait_for_an_unchecked_batch(
    officer_client, session, envelope, anchor_staff, on_ballot
):
    """Trial 16/17, stumble 5: told on the confirmation and after it, not only later."""
    _batches(session, envelope, anchor_staff, on_ballot, 1)
    batch = PaperBatch.objects.get()
    url = reverse("admin:budgets_round_advance", args=[envelope.round_id])
    confirm = officer_client.post(url, {"to_phase": "voting_closed"}).content.decode()
    assert "Counting will wait until this is settled:" in confirm
    assert f"#{batch.pk}" in confirm
    done = officer_client.post(
        url, {"to_phase": "voting_closed", "early_close_confirmed": "yes"}, follow=True
    )
    said = [str(m) for m in done.context["messages"]]
    assert any(m.startswith("Counting waits until this is settled.") for m in said), said
    assert any(f"#{batch.pk}" in m for m in said), said
