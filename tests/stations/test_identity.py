from datetime import date

import pytest

from stations.identity import Identity, Match, age_on, compare, normalise_name


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("Mrs Siân  O'Brien", "sian obrien"),
        ("  MEGAN lewis ", "megan lewis"),
        ("Dr. Jean-Luc Picard", "jean luc picard"),
        ("Ffion ap Rhys", "ffion ap rhys"),
        ("", ""),
    ],
)
def test_it_normalises_names(written, normal):
    assert normalise_name(written) == normal


def _person(name, dob=None, postcode="CF24 2AB"):
    return Identity(normalise_name(name), postcode, dob)


def test_the_same_name_postcode_and_date_of_birth_is_the_same_person():
    born = date(1980, 1, 2)
    assert compare(_person("Megan Lewis", born), _person("megan  LEWIS", born)) is Match.SAME


def test_the_same_name_and_postcode_without_dates_is_the_same_person():
    assert compare(_person("Megan Lewis"), _person("Megan Lewis")) is Match.SAME


def test_a_date_of_birth_on_one_side_only_is_uncertain():
    assert compare(_person("Megan Lewis", date(1980, 1, 2)), _person("Megan Lewis")) is (
        Match.UNCERTAIN
    )


def test_a_similar_name_at_the_same_postcode_is_uncertain():
    assert compare(_person("John Evans"), _person("Jon Evans")) is Match.UNCERTAIN
    assert compare(_person("J Evans"), _person("John Evans")) is Match.UNCERTAIN


def test_different_dates_of_birth_are_different_people():
    assert compare(
        _person("Megan Lewis", date(1980, 1, 2)), _person("Megan Lewis", date(2001, 5, 6))
    ) is (Match.NONE)


def test_another_postcode_or_another_name_is_someone_else():
    assert (
        compare(_person("Megan Lewis"), _person("Megan Lewis", postcode="CF10 1EP")) is Match.NONE
    )
    assert compare(_person("Megan Lewis"), _person("Huw Jenkins")) is Match.NONE


def test_age_counts_whole_years_to_the_birthday():
    assert age_on(date(2010, 6, 1), date(2026, 5, 31)) == 15
    assert age_on(date(2010, 6, 1), date(2026, 6, 1)) == 16
