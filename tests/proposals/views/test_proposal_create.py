import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Round
from proposals.models import Proposal
from tests.proposals.images import exif_with_location, image_upload

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "Benches by the river",
    "summary": "Somewhere to sit on the walk into town.",
    "description": "Six benches along the river path.",
    "cost": "2,500.50",
    "category": "older_people",
    "location_description": "River path",
}


def _url(envelope):
    return reverse("proposals-create", args=[envelope.pk])


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_asks_visitors_to_sign_in(client, envelope):
    response = client.get(_url(envelope))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_shows_the_form_to_a_resident(client, resident, envelope):
    client.force_login(resident)
    response = client.get(_url(envelope))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_it_saves_a_draft_and_shows_the_preview(client, resident, envelope):
    client.force_login(resident)
    response = client.post(_url(envelope), GOOD)
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert (proposal.status, proposal.cost_pence, proposal.author) == ("draft", 250050, resident)


def test_it_tells_a_resident_from_elsewhere_why_they_cannot(client, resident, other_envelope):
    client.force_login(resident)
    response = client.get(_url(other_envelope))
    assert response.status_code == 403
    assert "Only people who live in Hilltop can suggest ideas" in response.content.decode()
    assert "CF24 2AB" in response.content.decode()


def test_it_tells_a_resident_when_ideas_have_closed(client, resident, envelope):
    Round.objects.filter(pk=envelope.round_id).update(phase=Round.Phase.REVIEW)
    client.force_login(resident)
    response = client.post(_url(envelope), GOOD)
    assert response.status_code == 403
    assert "closed on" in response.content.decode()
    assert Proposal.objects.exists() is False


def test_it_tells_a_resident_when_they_have_reached_the_limit(client, resident, envelope, settings):
    settings.PROPOSALS_PER_RESIDENT_PER_ROUND = 1
    client.force_login(resident)
    client.post(_url(envelope), GOOD)
    # A draft does not count: the resident may start another.
    assert client.get(_url(envelope)).status_code == 200
    Proposal.objects.update(status=Proposal.Status.SUBMITTED, submitted_at=timezone.now())
    response = client.get(_url(envelope))
    assert response.status_code == 403
    assert "already submitted 1 ideas in this round" in response.content.decode()


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("0", "The cost must be more than £0."),
        ("-50", "The cost must be more than £0."),
        ("lots", "Enter the cost in pounds, like 2500 or 2,500.50."),
        ("12.345", "Enter the cost in pounds, like 2500 or 2,500.50."),
        ("90,000.01", "The cost cannot be more than Splott&#x27;s whole share, £90,000."),
        ("", "Enter a rough cost in pounds."),
    ],
)
def test_it_explains_a_bad_cost(client, resident, envelope, cost, message):
    client.force_login(resident)
    response = client.post(_url(envelope), {**GOOD, "cost": cost})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Proposal.objects.exists() is False


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("title", 81, "The title must be 80 characters or fewer. It has 81."),
        ("summary", 161, "The summary must be 160 characters or fewer. It has 161."),
        ("description", 3001, "The description must be 3000 characters or fewer. It has 3001."),
    ],
)
def test_it_explains_text_that_is_too_long(client, resident, envelope, field, length, message):
    client.force_login(resident)
    response = client.post(_url(envelope), {**GOOD, field: "a" * length})
    assert message in response.content.decode()


def test_it_lists_every_missing_answer(client, resident, envelope):
    client.force_login(resident)
    html = client.post(_url(envelope), {}).content.decode()
    for message in [
        "Enter a title.",
        "Enter a one-line summary.",
        "Describe your idea.",
        "Choose which kind of idea it is.",
    ]:
        assert message in html
    assert "There is a problem" in html


def test_it_stores_a_photo_without_its_exif(client, resident, envelope, media):
    client.force_login(resident)
    photo = image_upload(size=(3200, 1600), exif=exif_with_location())
    client.post(_url(envelope), {**GOOD, "photo": photo})
    proposal = Proposal.objects.get()
    from PIL import Image

    with Image.open(proposal.photo.path) as stored:
        assert max(stored.size) == 1600
        assert dict(stored.getexif()) == {}


def test_it_refuses_a_photo_that_is_not_an_image(client, resident, envelope, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(resident)
    fake = SimpleUploadedFile("cat.jpg", b"MZ\x90\x00 not really a jpeg", "image/jpeg")
    response = client.post(_url(envelope), {**GOOD, "photo": fake})
    assert "The photo must be a JPG, PNG or WebP image." in response.content.decode()
    assert Proposal.objects.exists() is False


def test_it_needs_both_coordinates_or_neither(client, resident, envelope):
    client.force_login(resident)
    response = client.post(_url(envelope), {**GOOD, "latitude": "51.48"})
    assert "Enter both the latitude and the longitude, or neither." in response.content.decode()


def test_it_refuses_coordinates_off_the_earth(client, resident, envelope):
    client.force_login(resident)
    response = client.post(_url(envelope), {**GOOD, "latitude": "91", "longitude": "0"})
    assert "less than or equal to 90" in response.content.decode()


def test_a_script_in_a_bad_submission_is_escaped_when_shown_back(client, resident, envelope):
    client.force_login(resident)
    payload = '"><script>alert(1)</script>'
    html = client.post(_url(envelope), {**GOOD, "title": payload, "cost": ""}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html
