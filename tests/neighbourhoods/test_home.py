import pytest
from django.urls import reverse

from tests.neighbourhoods.factories import PostcodeFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_postcode_form(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'name="postcode"' in response.content.decode()


def test_a_known_postcode_leads_to_its_neighbourhood(client):
    postcode = PostcodeFactory(postcode="CF24 2AB")
    response = client.get(reverse("home"), {"postcode": "cf242ab"})
    assert response.status_code == 302
    assert response["Location"] == postcode.neighbourhood.get_absolute_url()


def test_a_malformed_postcode_gets_a_clear_message(client):
    response = client.get(reverse("home"), {"postcode": "banana"})
    assert response.status_code == 200
    assert "Enter a real UK postcode, like CF10 1EP or SW1A 1AA." in response.content.decode()


def test_an_unknown_postcode_says_the_area_is_not_taking_part(client):
    response = client.get(reverse("home"), {"postcode": "SW1A 1AA"})
    assert response.status_code == 200
    assert "SW1A 1AA is not in a neighbourhood taking part yet" in response.content.decode()


def test_it_is_available_in_welsh(client):
    response = client.get("/cy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="cy"' in html
    assert "Arian eich cymdogaeth. Eich penderfyniad chi." in html
