"""Council-entered text in both languages: the page's language when it is filled in,
else the other one, marked with its lang."""

import pickle

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.bilingual import MarkedMessage, collation_key, localised, sorted_by_name
from tests.neighbourhoods.factories import CouncilFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def splott(council):
    return NeighbourhoodFactory(council=council, name="Splott", name_cy="Sblot")


@pytest.fixture
def riverside(council):
    return NeighbourhoodFactory(council=council, name="Riverside")


def render(source: str, **context) -> str:
    return Template("{% load written_in %}" + source).render(Context(context))


def test_a_welsh_page_shows_the_welsh_name(splott):
    with translation.override("cy"):
        name = splott.local.name
    assert (name, name.language) == ("Sblot", "cy")


def test_a_welsh_page_falls_back_to_the_english_name_and_says_so(riverside):
    with translation.override("cy"):
        name = riverside.local.name
    assert (name, name.language) == ("Riverside", "en-gb")


def test_an_english_page_shows_the_english_name(splott):
    with translation.override("en-gb"):
        name = splott.local.name
    assert (name, name.language) == ("Splott", "en-gb")


def test_an_english_page_falls_back_to_welsh_text_when_only_welsh_was_written(db):
    council = CouncilFactory(privacy_contact="", privacy_contact_cy="Ffoniwch y swyddfa")
    with translation.override("en-gb"):
        contact = localised(council, "privacy_contact")
    assert (contact, contact.language) == ("Ffoniwch y swyddfa", "cy")


def test_a_language_can_be_asked_for_outside_a_page(splott):
    with translation.override("en-gb"):
        assert localised(splott, "name", language="cy") == "Sblot"


def test_only_bilingual_fields_are_localised(splott):
    with pytest.raises(AttributeError, match="slug"):
        splott.local.slug  # noqa: B018


def test_marked_wraps_only_text_in_the_other_language(splott, riverside):
    source = "{{ a.local.name|marked }} {{ b.local.name|marked }}"
    with translation.override("cy"):
        html = render(source, a=splott, b=riverside)
    assert html == 'Sblot <span lang="en-gb">Riverside</span>'
    with translation.override("en-gb"):
        assert render(source, a=splott, b=riverside) == "Splott Riverside"


def test_lang_of_marks_the_element_that_holds_the_text(riverside):
    source = "<h1{{ n.local.name|lang_of }}>{{ n.local.name }}</h1>"
    with translation.override("cy"):
        assert render(source, n=riverside) == '<h1 lang="en-gb">Riverside</h1>'
    with translation.override("en-gb"):
        assert render(source, n=riverside) == "<h1>Riverside</h1>"


def test_marked_escapes_what_an_officer_typed(council):
    place = NeighbourhoodFactory(council=council, name="<b>Bold</b> & Co")
    with translation.override("cy"):
        html = render("{{ n.local.name|marked }}", n=place)
    assert html == '<span lang="en-gb">&lt;b&gt;Bold&lt;/b&gt; &amp; Co</span>'


def test_a_sentence_with_a_name_is_plain_text_as_a_string_and_marked_on_a_page(riverside):
    with translation.override("cy"):
        message = MarkedMessage("Dim ond pobl %(place)s <3", {"place": riverside.local.name})
        html = render("<p>{{ m }}</p>", m=message)
    assert message == "Dim ond pobl Riverside <3"
    assert html == '<p>Dim ond pobl <span lang="en-gb">Riverside</span> &lt;3</p>'


def test_a_sentence_with_a_name_is_stored_as_plain_text(riverside):
    with translation.override("cy"):
        message = MarkedMessage("Dim ond pobl %(place)s", {"place": riverside.local.name})
    stored = pickle.loads(pickle.dumps(message))
    assert (type(stored), stored) == (str, "Dim ond pobl Riverside")


def test_a_sentence_can_fill_braces_and_numbers_stay_numbers(riverside):
    with translation.override("cy"):
        braces = MarkedMessage(
            "Stopiodd y cyfrif ({next})", {"next": riverside.local.name}, braces=True
        )
        points = MarkedMessage(
            "%(place)s: %(points)d pwynt", {"place": riverside.local.name, "points": 7}
        )
        html = render("{{ a }} {{ b }}", a=braces, b=points)
    assert (braces, points) == ("Stopiodd y cyfrif (Riverside)", "Riverside: 7 pwynt")
    assert html == (
        'Stopiodd y cyfrif (<span lang="en-gb">Riverside</span>) '
        '<span lang="en-gb">Riverside</span>: 7 pwynt'
    )


NAMES = ["Rhath", "Lôn Las", "Llandaf", "Rumney", "Lyn", "Chwilog", "Caerau", "ystum taf"]


def test_welsh_pages_sort_names_as_a_welsh_dictionary_does():
    """ch, ll, rh… are letters of their own, after c, l, r; case and accents do not count."""
    with translation.override("cy"):
        in_order = sorted(NAMES, key=collation_key)
    assert in_order == [
        "Caerau", "Chwilog", "Lôn Las", "Lyn", "Llandaf", "Rumney", "Rhath", "ystum taf"
    ]  # fmt: skip


def test_english_pages_sort_names_letter_by_letter():
    with translation.override("en-gb"):
        in_order = sorted(NAMES, key=collation_key)
    assert in_order == [
        "Caerau", "Chwilog", "Llandaf", "Lôn Las", "Lyn", "Rhath", "Rumney", "ystum taf"
    ]  # fmt: skip


def test_things_sort_by_the_name_the_page_shows(splott, riverside, council):
    llandaff = NeighbourhoodFactory(council=council, name="Llandaff North", name_cy="Ystum Taf")
    places = [splott, riverside, llandaff]
    with translation.override("cy"):
        welsh = sorted_by_name(places, lambda place: place.local.name)
    with translation.override("en-gb"):
        english = sorted_by_name(places, lambda place: place.local.name)
    # Riverside has no Welsh name, so a Welsh page shows (and sorts) it in English.
    assert welsh == [riverside, splott, llandaff]
    assert english == [llandaff, riverside, splott]
