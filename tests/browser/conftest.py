"""A live server and a headless Chromium page, for journeys through the real pages.

* ``live_server``: the test's app (the ``app`` fixture's configuration and database: a SQLite
  file, or this run's PostgreSQL schema) served by werkzeug on 127.0.0.1 at a free port, in a
  thread; yields the base URL.
* ``browser``: Debian's Chromium driven by Playwright (one per session); the tests are skipped,
  with the reason, when it or Playwright is missing.
* ``page``: a fresh browser context and page on the live server (``page.goto("/assets")``).
* ``screenshot(name, page=None, full_page=True)``: saves ``tests/browser/screenshots/<name>.png``.

CSRF protection is on here, unlike in the page tests, so forms are posted as a person would.
Override ``config_overrides`` in a module to change the app's configuration.
"""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The factories' hashing cost, so signing in is quick.
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def config_overrides() -> dict:
    return {"WTF_CSRF_ENABLED": True, "ARGON2_PARAMS": CHEAP_ARGON2}


@pytest.fixture
def live_server(app):
    """The base URL of ``app`` served over HTTP for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str, on=None, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        (on or page).screenshot(path=str(path), full_page=full_page)
        return path

    return take
