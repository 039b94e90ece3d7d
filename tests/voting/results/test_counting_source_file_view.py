"""One file of the counting program: its README.md as a page of the site (found by a
trial: the raw Markdown read badly on a phone, with no title and no way back), the
Python files and the README's exact bytes as plain text, and nothing outside it."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from voting.results.selectors import counting_source_files

pytestmark = pytest.mark.django_db


def file_url(name, language="en-gb"):
    with translation.override(language):
        return reverse("voting-counting-source-file", args=[name])


def test_the_counting_program_page_links_each_file(client):
    listing = client.get(reverse("voting-counting-source")).content.decode()

    assert f'href="{file_url("README.md")}"' in listing
    assert f'href="{file_url("equalshares/run.py")}"' in listing


def test_it_shows_the_readme_as_a_page_titled_by_its_first_heading(client):
    response = client.get(file_url("README.md"))

    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert re.findall(r"<h1\b[^>]*>(.*?)</h1>", page) == ["How the votes are counted"]
    assert "<title>How the votes are counted (README.md) \N{EN DASH} The counting program" in page
    assert '<h2 class="govuk-heading-m">The rules, in plain English</h2>' in page
    assert "# How the votes are counted" not in page


def test_the_readmes_tables_are_tables(client):
    page = client.get(file_url("README.md")).content.decode()

    assert '<table class="govuk-table nd-table-stack">' in page
    assert '<th class="govuk-table__header">module</th>' in page
    # On a phone each row is a block, each cell named by its column.
    assert '<td class="govuk-table__cell" data-label="module"><code>engine.py</code></td>' in page
    assert "|---|" not in page


def test_the_readmes_breadcrumbs_lead_back_to_the_program_and_every_result(client):
    page = client.get(file_url("README.md")).content.decode()

    breadcrumbs = page[page.index('<nav class="govuk-breadcrumbs"') :]
    breadcrumbs = breadcrumbs[: breadcrumbs.index("</nav>")]
    assert f'href="{reverse("voting-results-index")}">Published results</a>' in breadcrumbs
    assert f'href="{reverse("voting-counting-source")}">The counting program</a>' in breadcrumbs
    assert 'aria-current="page">README.md</li>' in breadcrumbs


def test_the_readme_links_its_plain_text_which_is_the_files_exact_bytes(client):
    page = client.get(file_url("README.md")).content.decode()
    plain = file_url("README.md") + "?plain=1"
    assert f'href="{plain}"' in page

    response = client.get(plain)

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == counting_source_files()["README.md"].read_bytes()


def test_a_python_file_is_served_as_plain_text_exactly(client):
    response = client.get(file_url("equalshares/run.py"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == counting_source_files()["equalshares/run.py"].read_bytes()


@pytest.mark.parametrize(
    "name",
    ["../models.py", "../../config/settings/base.py", "nothing.py", "nothing.md", "%2e%2e/keys.py"],
)
def test_only_the_counting_programs_own_files_are_served(client, name):
    response = client.get(reverse("voting-counting-source") + name)
    assert response.status_code == 404


def test_in_welsh_the_readme_is_marked_english_and_the_page_says_so(client):
    page = client.get(file_url("README.md", "cy")).content.decode()

    assert '<html lang="cy"' in page
    assert '<h1 class="govuk-heading-l" lang="en-gb">How the votes are counted</h1>' in page
    assert '<div class="nd-markdown" lang="en-gb">' in page
    note = "Mae'r dudalen hon yn Saesneg yn unig: dyma ffeil README.md y rhaglen gyfrif"
    assert page.index(note) < page.index('<div class="nd-markdown"')
    assert "<title>README.md \N{EN DASH} Y rhaglen gyfrif" in page


def test_in_english_the_readme_needs_no_note(client):
    page = client.get(file_url("README.md")).content.decode()

    assert 'lang="en-gb"' not in page.split("<main", 1)[1]
    assert "This page is in English only" not in page
