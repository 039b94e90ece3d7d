"""Trial 16/17, stumble 8: with JavaScript on, the staff screen never shows "Only a
tablet with JavaScript on can keep votes without a network", not even before the
offline script has run (here it is held back, as a slow tablet would)."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_polling_station import (
    anchor_staff,  # noqa: F401 (fixtures)
    envelope,  # noqa: F401
    staff_opens_the_station,
    staff_unlocks,
    station,  # noqa: F401
    tablet,  # noqa: F401
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_no_javascript_note_is_hidden_before_the_offline_script_runs(
    tablet,  # noqa: F811
    station,  # noqa: F811
    anchor_staff,  # noqa: F811
):
    staff_opens_the_station(tablet, anchor_staff)
    tablet.route("**/kiosk-offline.mjs*", lambda route: route.abort())
    staff_unlocks(tablet)
    note = tablet.locator("[data-offline-needs-js]")
    expect(note).to_have_count(1)
    expect(note).to_be_hidden()
