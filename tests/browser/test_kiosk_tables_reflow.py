"""Trial 16/17, stumble 4: the kiosk's tables, in Welsh on a 375 px phone, break words
only at spaces, never inside a word ("Eic h cyf rif", "P / o / bl"), and the page never
scrolls sideways. The staff screen's table of people turned away and the closing page's
counts are both checked, reached by touching what is on screen."""

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_polling_station import (
    PIN,
    anchor_staff,  # noqa: F401 (fixtures)
    envelope,  # noqa: F401
    staff_opens_the_station,
    station,  # noqa: F401
    tablet,  # noqa: F401
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 375

# Each word in a table cell, measured on one line in the cell's own font, against the
# room the cell gives its text. A word wider than that room was broken (or spills over).
WORDS_WIDER_THAN_THEIR_CELL = """
() => {
  const found = [];
  for (const cell of document.querySelectorAll("table th, table td")) {
    const box = cell.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // visually hidden (a stacked head)
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const probe = document.createElement("span");
    probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap";
    probe.style.font = style.font;
    probe.style.letterSpacing = style.letterSpacing;
    cell.appendChild(probe);
    for (const word of cell.innerText.split(/\\s+/).filter(Boolean)) {
      probe.textContent = word;
      if (probe.getBoundingClientRect().width > room + 0.5) found.push(word);
    }
    probe.remove();
  }
  return found;
}
"""


def check_phone_screen(page, heading):
    page.locator("h1").filter(has_text=heading).wait_for()
    page.wait_for_load_state()
    assert axe_violations(page) == [], heading
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, heading
    assert page.locator("table").count() > 0, heading
    assert page.evaluate(WORDS_WIDER_THAN_THEIR_CELL) == [], heading


def test_kiosk_tables_in_welsh_at_375_pixels_break_only_between_words(
    tablet,  # noqa: F811
    station,  # noqa: F811
    anchor_staff,  # noqa: F811
):
    staff_opens_the_station(tablet, anchor_staff)
    tablet.set_viewport_size({"width": PHONE, "height": 812})
    tablet.get_by_role("link", name="Cymraeg").click()
    tablet.locator("h1").filter(has_text="Pleidleisiwch yma").wait_for()
    # Someone turned away, so the staff screen has its table of refusals.
    tablet.get_by_label("Cod pleidleisio").fill("WRONG-CODE-1")
    tablet.get_by_role("button", name="Parhau").click()
    tablet.get_by_role("alert").first.wait_for()

    tablet.get_by_role("link", name="Staff yn unig").click()
    tablet.get_by_label("PIN staff").fill(PIN)
    tablet.get_by_role("button", name="Parhau").click()
    check_phone_screen(tablet, "Ffigurau'r orsaf")

    tablet.get_by_role("link", name="Cau'r orsaf").click()
    tablet.locator("h1").filter(has_text="Cau'r orsaf").wait_for()
    tablet.get_by_label("Codau pleidleisio a ddefnyddiwyd").fill("0")
    tablet.get_by_label("Papurau pleidleisio a fwriwyd", exact=True).fill("0")
    tablet.get_by_label("Papurau pleidleisio wedi'u difetha neu eu gadael").fill("0")
    tablet.get_by_label("Pobl a wrthodwyd").fill("1")
    tablet.get_by_label("Wedi'i gau gan").select_option(label="Aled")
    tablet.get_by_role("button", name="Cau'r orsaf").click()
    check_phone_screen(tablet, "Yr orsaf ar gau")
