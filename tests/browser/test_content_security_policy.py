"""The pages keep to their Content-Security-Policy in real Chromium: nothing is blocked."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_no_page_breaks_the_policy(page, make):
    from assettransfer.extensions import db

    make.UserFactory(email="ann@riverside.example")
    db.session.commit()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)

    page.goto("/")
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill("ann@riverside.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")

    assert violations == []
    # GOV.UK Frontend's inline script ran with its nonce: the body says scripts are on.
    assert "js-enabled" in page.locator("body").get_attribute("class")
