import pytest
from django.urls import reverse

from tests.neighbourhoods.factories import PostcodeFactory
from tests.pages import in_page_order

pytestmark = pytest.mark.django_db


def test_it_shows_the_postcode_form(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'name="postcode"' in response.content.decode()


def test_the_postcode_hint_gives_a_format_not_a_real_postcode(client):
    html = client.get(reverse("home")).content.decode()
    assert "Enter your full postcode, in the form AB1 2CD or AB12 3CD." in html
    assert "CF10 1EP" not in html


def test_a_known_postcode_leads_to_its_neighbourhood(client):
    postcode = PostcodeFactory(postcode="CF24 2AB")
    response = client.get(reverse("home"), {"postcode": "cf242ab"})
    assert response.status_code == 302
    assert response["Location"] == postcode.neighbourhood.get_absolute_url()


def test_a_malformed_postcode_gets_a_clear_message(client):
    response = client.get(reverse("home"), {"postcode": "banana"})
    assert response.status_code == 200
    assert "Enter a real UK postcode, in the form AB1 2CD or AB12 3CD." in response.content.decode()


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


def test_half_a_postcode_says_what_is_missing_and_lists_the_districts_neighbourhoods(
    client, django_assert_max_num_queries
):
    splott = PostcodeFactory(postcode="CF24 2AB", neighbourhood__name="Splott").neighbourhood
    PostcodeFactory(postcode="CF24 2AD", neighbourhood=splott)
    adamsdown = PostcodeFactory(postcode="CF24 0AA", neighbourhood__name="Adamsdown")
    PostcodeFactory(postcode="CF10 1EP", neighbourhood__name="Riverside")
    # CF2 is another district: its postcodes do not start "CF24 ".
    PostcodeFactory(postcode="CF2 4AA", neighbourhood__name="Elsewhere")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("home"), {"postcode": "cf24"})
    html = response.content.decode()
    assert "CF24 is only the first half of a postcode. Enter your full postcode" in html
    assert "Enter a real UK postcode" not in html
    assert "Neighbourhoods taking part in CF24" in html
    assert html.count(splott.get_absolute_url()) == 1
    assert adamsdown.neighbourhood.get_absolute_url() in html
    assert ">Riverside<" not in html and ">Elsewhere<" not in html


def test_half_a_postcode_nobody_takes_part_in_lists_nothing(client):
    html = client.get(reverse("home"), {"postcode": "SW1A"}).content.decode()
    assert "SW1A is only the first half of a postcode" in html
    assert "Neighbourhoods taking part in" not in html


def test_half_a_postcode_lists_the_neighbourhoods_by_the_names_the_page_shows(client):
    for postcode, name, name_cy in [
        ("CF24 2AB", "Splott", "Sblot"),
        ("CF24 0AA", "Adamsdown", "Y Waun Ddyfal"),
        ("CF24 3AA", "Roath", "Y Rhath"),
        ("CF24 5AA", "Tremorfa", ""),
    ]:
        PostcodeFactory(postcode=postcode, neighbourhood__name=name, neighbourhood__name_cy=name_cy)

    english = client.get(reverse("home"), {"postcode": "cf24"}).content.decode()
    welsh = client.get("/cy/", {"postcode": "cf24"}).content.decode()

    assert in_page_order(english, ["Adamsdown", "Roath", "Splott", "Tremorfa"])
    # In Welsh, "rh" is a letter after "r" and before "w".
    assert in_page_order(welsh, ["Sblot", "Tremorfa", "Y Rhath", "Y Waun Ddyfal"])
