"""A Markdown file of the counting program as HTML: GOV.UK typography, and no HTML of
the file's own ever reaches the page."""

from voting.results.documents import markdown_page


def page_of(tmp_path, text, name="NOTES.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return markdown_page(path)


def test_its_first_heading_becomes_the_title(tmp_path):
    page = page_of(tmp_path, "# Counting with `greedy`\n\nText.\n")

    assert page.title == "Counting with <code>greedy</code>"
    assert page.title_text == "Counting with greedy"
    assert page.body == '<p class="govuk-body">Text.</p>\n'


def test_a_file_without_a_first_heading_is_titled_by_its_name(tmp_path):
    page = page_of(tmp_path, "Text.\n\n# Later\n")

    assert page.title_text == "NOTES.md"
    assert '<h1 class="govuk-heading-l">Later</h1>' in page.body


def test_raw_html_and_script_links_are_shown_as_text(tmp_path):
    page = page_of(tmp_path, "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n")

    assert "<script>" not in page.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.body
    assert "href" not in page.body


def test_a_right_aligned_column_is_numeric_without_an_inline_style(tmp_path):
    page = page_of(tmp_path, "# T\n\n| idea | votes |\n|---|--:|\n| Benches | 12 |\n")

    assert "style=" not in page.body
    cell = '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="votes">12</td>'
    assert cell in page.body


def test_an_image_is_never_fetched(tmp_path):
    page = page_of(tmp_path, "# T\n\n![a map](https://example.test/map.png)\n")

    assert "<img" not in page.body
