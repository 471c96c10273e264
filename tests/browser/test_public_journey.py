"""A resident's journey in real headless Chromium, with no account: from the start page to the
register of requests, filtered by ward, to a request open for representations, where they make
one (an empty form first, to see the error summary); then the officer, signed in in a second
browser, finds it on the case with its source. And the other public pages load cleanly."""

import pytest

from assettransfer.extensions import db
from assettransfer.throttle import limiter
from tests.browser.conftest import DESKTOP
from tests.factories import PASSWORD
from tests.register_cases import days_ago, open_for_representations, sent_request
from tests.services.test_community_value import listed  # noqa: F401  (a listed pub, mapped)

pytestmark = pytest.mark.browser


def expect_heading(page, text: str) -> None:
    heading = page.get_by_role("heading", level=1)
    assert text in heading.inner_text(), heading.inner_text()


def errors_of(page) -> list[str]:
    """What goes wrong on ``page``, as it happens: errors in the console (a script's, a blocked
    resource's), uncaught exceptions, and responses of 400 or more, by address (Chromium logs a
    failed load without its address, so those are taken from the responses)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return errors


@pytest.fixture
def cases(make):
    officer = make.UserFactory(officer=True, email="owen@council.example")
    park = make.AssetFactory(name="Riverside Park", ward="Riverside")
    request = sent_request("scotland-atr", "representations", asset=park, submitted=days_ago(12))
    open_for_representations(request, 5, actor=officer)
    # In another ward: the ward filter leaves it out.
    sent_request("scotland-atr", "representations", submitted=days_ago(2),
                 asset=make.AssetFactory(name="Eastfield Centre", ward="Eastfield"))
    db.session.commit()
    limiter.reset()
    return officer, request


def test_a_resident_makes_a_representation_the_officer_sees_it(browser, live_server, page,
                                                               cases):
    from playwright.sync_api import expect

    officer, request = cases
    script_errors = errors_of(page)
    page.goto("/")
    page.locator("main").get_by_role("link", name="register of requests and decisions").click()
    expect_heading(page, "Register of requests and decisions")
    expect(page.get_by_role("heading", name="2 requests")).to_be_visible()
    page.get_by_label("Ward").select_option("Riverside")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 request found")).to_be_visible()
    page.get_by_role("link", name=f"{request.reference}: Riverside Park").click()
    expect_heading(page, f"{request.reference}: Riverside Park")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Riverside")

    # Sent empty: the error summary, focused, names each field; nothing is sent.
    page.get_by_role("button", name="Send representation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your representation")
    summary.get_by_role("link", name="Enter your representation").click()
    expect(page.get_by_label("Your representation")).to_be_focused()

    page.get_by_label("Your name").fill("Rita Neighbour")
    page.get_by_label("Your address").fill("2 Park Road\nExampletown")
    page.get_by_label("Email address").fill("rita@example.org")
    page.get_by_label("Your representation").fill("Please keep the café open.")
    page.get_by_role("button", name="Send representation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Your representation on {request.reference} has been received")
    # Nothing went wrong but the empty form, refused with a 400.
    assert script_errors == [f"400 {live_server}/register/{request.reference}"]

    council = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="en-GB")
    try:
        desk = council.new_page()
        desk.goto("/account/sign-in")
        desk.get_by_label("Email address").fill(officer.email)
        desk.get_by_label("Password", exact=True).fill(PASSWORD)
        desk.get_by_role("button", name="Sign in").click()
        expect_heading(desk, "Council dashboard")
        desk.goto(f"/council/applications/{request.id}/representations")
        made = desk.locator(".app-representation").filter(has_text="Rita Neighbour")
        expect(made).to_contain_text("made online on the public register")
        expect(made).to_contain_text("Please keep the café open.")
    finally:
        council.close()


@pytest.mark.parametrize("path, heading, shows", [
    ("/assets-of-community-value", "Assets of community value", "The Red Lion"),
    ("/open-data", "Open data", "Assets of community value"),
])
def test_the_list_and_the_open_data_load_without_errors(page, listed, path,  # noqa: F811
                                                        heading, shows):
    from playwright.sync_api import expect

    db.session.commit()
    errors = errors_of(page)
    page.goto(path)
    page.wait_for_load_state("load")
    expect_heading(page, heading)
    expect(page.locator("main").get_by_text(shows).first).to_be_visible()
    assert errors == []
