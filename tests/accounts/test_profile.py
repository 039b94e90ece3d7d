import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_requires_sign_in(client):
    response = client.get(reverse("accounts-profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_it_normalises_the_home_postcode(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("accounts-profile"), {"display_name": "Rhian", "home_postcode": "sw1a1aa"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.home_postcode == "SW1A 1AA"


def test_it_refuses_a_bad_postcode_and_keeps_the_old_one(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("accounts-profile"), {"display_name": "Rhian", "home_postcode": "ZZ99 ZZZ"}
    )
    assert response.status_code == 200
    assert "Enter a real UK postcode, in the form AB1 2CD or AB12 3CD." in response.content.decode()
    resident.refresh_from_db()
    assert resident.home_postcode == "CF24 2AB"


def test_it_escapes_the_display_name(client, resident):
    resident.display_name = "<script>alert(1)</script>"
    resident.save()
    client.force_login(resident)
    html = client.get(reverse("accounts-profile")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_your_details_names_the_neighbourhood_and_explains_a_postcode_change(
    client, resident, council
):
    from tests.neighbourhoods.factories import NeighbourhoodFactory, PostcodeFactory

    splott = NeighbourhoodFactory(council=council, name="Splott", slug="splott")
    PostcodeFactory(neighbourhood=splott, postcode="CF24 2AB")
    client.force_login(resident)
    html = client.get(reverse("accounts-profile")).content.decode()
    assert "Your home postcode, CF24 2AB, is in" in html
    assert f'href="{splott.get_absolute_url()}">Splott</a>' in html
    assert "changing your postcode does not let you vote somewhere else" in html


def test_it_keeps_the_language_when_the_form_leaves_it_out(client, resident):
    resident.language = "cy"
    resident.save(update_fields=["language"])
    client.force_login(resident)
    client.post(reverse("accounts-profile"), {"display_name": "Rhian", "home_postcode": "CF24 2AB"})
    resident.refresh_from_db()
    assert resident.language == "cy"


def test_a_postcode_in_no_neighbourhood_is_saved_with_a_warning_and_what_to_do(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("accounts-profile"),
        {"display_name": "Rhian", "home_postcode": "SW1A 1AA"},
        follow=True,
    )

    html = response.content.decode()
    assert "Your details are saved." in html
    assert 'class="govuk-warning-text"' in html
    assert (
        "Your home postcode, SW1A 1AA, is not in any neighbourhood taking part, so you cannot "
        "suggest ideas or vote."
    ) in html
    assert "Check it is right. If it is not, change it below and save your details." in html
