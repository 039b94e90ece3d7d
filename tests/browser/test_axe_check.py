"""The axe check every journey relies on finds what it is there to find: a check that
passed every page because it looked at nothing would be worse than none."""

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

BROKEN = """<!doctype html><html><head><title>Broken</title></head><body><main>
<h1>Broken page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Pale grey text on white.</p>
<label>Postcode</label><input type="text">
</main></body></html>"""


def test_the_axe_check_reports_a_page_that_breaks_the_rules(page):
    page.set_content(BROKEN)

    found = {v["id"] for v in axe_violations(page)}

    assert {"html-has-lang", "image-alt", "color-contrast", "label"} <= found
