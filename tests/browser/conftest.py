"""Real headless Chromium (Debian's package) driven by Playwright, plus axe-core checks."""

import os
import shutil
import time
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect, sync_playwright

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests
# make here are still ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_DIR = Path(__file__).resolve().parents[2]
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 320, "height": 640}
# The secret of every staff member's authenticator app in these journeys.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.fail("Browser tests need Debian's chromium package (apt-get install chromium).")
    return path


@pytest.fixture(autouse=True)
def _a_code_typed_late_still_counts(settings):
    """A code is read from the app, typed, sent and checked by the server: on a loaded
    machine that can cross into the app's next 30-second period, and whether it does
    depends only on timing. The server here allows one period of delay either side (as
    RFC 6238, 5.2, recommends for network delay), so a sign-in never does."""
    settings.MFA_TOTP_TOLERANCE = 1


def authenticator_code() -> str:
    """What the staff member's authenticator app shows now."""
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


# How long a browser test waits for a page or an element. Pages answer in well under a
# second on a quiet machine, but the suite must pass under load too: with two copies of
# it running at once on two cores, a kiosk page once took over 15 s to show.
PATIENCE_MS = 45_000
expect.set_options(timeout=PATIENCE_MS)  # Playwright's own default for expect() is 5 s


def _context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(PATIENCE_MS)
    return context


@pytest.fixture
def page(browser, live_server):
    context = _context(browser, live_server, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_with_csp(browser, live_server):
    """A page that keeps the site's Content Security Policy, collecting console errors
    (CSP violations among them) and failed requests, each with the page it happened on."""
    context = _context(browser, live_server)
    page = context.new_page()
    page.console_errors = []
    page.failed_requests = []
    page.on(
        "console",
        lambda m: m.type == "error" and page.console_errors.append(f"{page.url}: {m.text}"),
    )
    page.on(
        "response",
        lambda r: r.status >= 400 and page.failed_requests.append(f"{r.status} {r.url}"),
    )
    page.on(
        "requestfailed",
        lambda r: page.failed_requests.append(f"{r.failure} {r.url}"),
    )
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    context = _context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = _context(
        browser, live_server, bypass_csp=True, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, *, inject=True) -> list[dict]:
    """Run axe-core on the page and return its violations in a readable shape."""
    # A click that navigates returns once the new page has started loading: wait until
    # all of it is there, or axe would judge half a page.
    page.wait_for_load_state()
    if inject:
        page.add_script_tag(path=str(AXE_SCRIPT))
    # Only violations are collected: gathering the passing checks took half of axe's time.
    results = page.evaluate(
        "async (tags) => await axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]],
        }
        for v in results["violations"]
    ]
