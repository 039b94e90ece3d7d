import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from neighbourhoods.models import Postcode
from neighbourhoods.services import postcodes_import
from tests.neighbourhoods.factories import NeighbourhoodFactory, PostcodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def splott(council):
    return NeighbourhoodFactory(council=council, name="Splott")


def test_it_adds_good_rows_and_reports_each_bad_one_with_its_reason(splott):
    PostcodeFactory(
        neighbourhood__council=splott.council, neighbourhood__name="Adamsdown", postcode="CF24 0AA"
    )
    PostcodeFactory(neighbourhood=splott, postcode="CF24 2AA")
    csv = b"postcode\ncf24 2ab\nnot-a-postcode\nCF24 2AB\nCF24 0AA\nCF24 2AA\n\n ,extra\nCF242AD\n"

    report = postcodes_import(neighbourhood_id=splott.pk, raw=csv)

    assert report.added == ["CF24 2AB", "CF24 2AD"]
    assert report.already_there == ["CF24 2AA"]
    assert [(r.line, r.reason) for r in report.rejected] == [
        (3, "This is not a real UK postcode."),
        (4, "Repeats line 2."),
        (5, "Already belongs to Adamsdown."),
        (8, "The first column is empty."),
    ]
    assert set(splott.postcodes.values_list("postcode", flat=True)) == {
        "CF24 2AA",
        "CF24 2AB",
        "CF24 2AD",
    }


def test_the_same_postcode_may_belong_to_neighbourhoods_of_different_councils(splott):
    PostcodeFactory(postcode="CF24 2AB")  # another council's neighbourhood
    report = postcodes_import(neighbourhood_id=splott.pk, raw=b"CF24 2AB\n")
    assert report.added == ["CF24 2AB"]


def test_a_file_that_is_not_utf8_is_refused_whole(splott):
    with pytest.raises(ValidationError, match="not saved as UTF-8"):
        postcodes_import(neighbourhood_id=splott.pk, raw="CF24 2AB\nCAFÉ\n".encode("latin-1"))
    assert Postcode.objects.exists() is False


@pytest.mark.parametrize(
    "raw",
    [
        b"%PDF-1.4 garbage\nCF24 2AB\n",
        b"PK\x03\x04 a spreadsheet",
        b"\xd0\xcf\x11\xe0 an old Excel file",
        "CF24 2AB\n".encode("utf-16"),
    ],
)
def test_a_file_that_is_not_csv_is_refused_whole_saying_so(splott, raw):
    with pytest.raises(ValidationError, match="This file is not a CSV file"):
        postcodes_import(neighbourhood_id=splott.pk, raw=raw)
    assert Postcode.objects.exists() is False


def test_the_admin_page_says_a_pdf_is_not_a_csv_file(officer_client, splott):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("postcodes.pdf", b"%PDF-1.4 garbage\n", content_type="text/csv")
    response = officer_client.post(
        reverse("admin:neighbourhoods_neighbourhood_import_postcodes", args=[splott.pk]),
        {"file": upload},
    )
    html = response.content.decode()
    assert "This file is not a CSV file." in html
    assert "rejected" not in html
    assert Postcode.objects.exists() is False


def test_imports_are_recorded_in_the_audit_trail(splott):
    postcodes_import(neighbourhood_id=splott.pk, raw=b"CF24 2AB\n")
    assert Postcode.history.filter(postcode="CF24 2AB", history_type="+").count() == 1


def test_the_admin_page_shows_the_report(officer_client, splott):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("postcodes.csv", b"CF24 2AB\nbanana\n", content_type="text/csv")
    response = officer_client.post(
        reverse("admin:neighbourhoods_neighbourhood_import_postcodes", args=[splott.pk]),
        {"file": upload},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 postcode added" in html
    assert "1 row rejected" in html
    assert "This is not a real UK postcode." in html


def test_another_councils_officer_cannot_import_into_it(outsider_client, splott):
    url = reverse("admin:neighbourhoods_neighbourhood_import_postcodes", args=[splott.pk])
    assert outsider_client.get(url).status_code == 404


def test_adding_one_postcode_in_the_admin_normalises_it_and_refuses_a_taken_one(
    officer_client, splott
):
    other = NeighbourhoodFactory(council=splott.council, name="Roath")
    PostcodeFactory(neighbourhood=other, postcode="CF24 3AA")
    url = reverse("admin:neighbourhoods_postcode_add")

    response = officer_client.post(url, {"neighbourhood": splott.pk, "postcode": "cf24 3aa"})
    assert "CF24 3AA already belongs to Roath." in response.content.decode()

    officer_client.post(url, {"neighbourhood": splott.pk, "postcode": "cf242ab"})
    assert Postcode.objects.get(neighbourhood=splott).postcode == "CF24 2AB"
