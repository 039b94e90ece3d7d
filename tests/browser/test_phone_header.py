"""On a phone the header spends no row on "Menu" alone: the menu button shares its row
with the account links ("Sign in", or "Your details" and "Sign out"), in English and in
Welsh, signed in or not, at 320 and 375 px (a trial found "Menu" alone on its row at
375 px). Opened, the menu's links show below the button and the account links stay
beside it. Without JavaScript there is no button: the menu's links take its place, beside
the account links. Nothing scrolls sideways; axe on every page with JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PATIENCE_MS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the header says, by language and by whether the person is signed in.
WORDS = {
    "en": {"menu": "Menu", "first": {False: "Find your neighbourhood", True: "Your ideas"}},
    "cy": {
        "menu": "Dewislen",
        "first": {False: "Dod o hyd i'ch cymdogaeth", True: "Eich syniadau"},
    },
}
ACCOUNT = {
    "en": {False: "Sign in", True: "Your details"},
    "cy": {False: "Mewngofnodi", True: "Eich manylion"},
}


@pytest.fixture(
    params=[
        (width, js, signed_in)
        for width in (320, 375)
        for js in (True, False)
        for signed_in in (False, True)
    ],
    ids=lambda p: f"{p[0]}px-{'js' if p[1] else 'no-js'}-{'signed-in' if p[2] else 'signed-out'}",
)
def phone(request, browser, live_server, client, resident):
    width, js, signed_in = request.param
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 700},
        is_mobile=True,
        java_script_enabled=js,
        bypass_csp=js,  # axe is injected as a script
    )
    context.set_default_timeout(PATIENCE_MS)
    if signed_in:
        client.force_login(resident)
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.javascript, page.signed_in = js, signed_in
    yield page
    context.close()


def on_one_row(first, second) -> bool:
    """Whether two things share a row: each starts above where the other ends."""
    a, b = first.bounding_box(), second.bounding_box()
    return a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def header_is_fine(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    if page.javascript:
        assert axe_violations(page) == [], page.url


def header_wastes_no_row(page, language):
    words = WORDS[language]
    menu = page.get_by_role("navigation", name={"en": "Menu", "cy": "Dewislen"}[language])
    account = page.get_by_role(
        "navigation", name={"en": "Your account", "cy": "Eich cyfrif"}[language]
    )
    account_link = account.get_by_role("link", name=ACCOUNT[language][page.signed_in])
    expect(account_link).to_be_visible()
    first_link = menu.get_by_role("link").first
    if not page.javascript:
        expect(first_link).to_be_visible()
        assert on_one_row(first_link, account_link)
        header_is_fine(page)
        return
    button = menu.get_by_role("button", name=words["menu"])
    expect(first_link).to_be_hidden()
    assert on_one_row(button, account_link)
    header_is_fine(page)
    button.click()
    expect(menu.get_by_role("link", name=words["first"][page.signed_in])).to_be_visible()
    assert (
        first_link.bounding_box()["y"]
        >= button.bounding_box()["y"] + button.bounding_box()["height"]
    )
    assert on_one_row(button, account_link)
    header_is_fine(page)


def test_the_menu_shares_its_row_on_a_phone_in_english_and_welsh(phone):
    phone.goto("/")
    expect(phone.locator("h1")).to_have_text("Your neighbourhood's money. Your decision.")
    header_wastes_no_row(phone, "en")

    phone.get_by_role("link", name="Cymraeg").click()
    expect(phone.locator("h1")).to_have_text("Arian eich cymdogaeth. Eich penderfyniad chi.")
    header_wastes_no_row(phone, "cy")
