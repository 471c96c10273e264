"""A community group's journey in real headless Chromium: from creating an account to a sent
council-cat expression of interest, through every page a person would use."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import Application, AssetType
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

PASSWORD = "a long and memorable passphrase"


@pytest.fixture
def assets(make):
    make.AssetFactory(name="Carnegie Library", asset_type=AssetType.LIBRARY, postcode="EX2 4EF",
                      address="14 Mill Street\nExampletown", description="A branch library.")
    make.AssetFactory(name="Riverside Park Pavilion", postcode="EX1 3CD")
    db.session.commit()


def expect_heading(page, text: str) -> None:
    heading = page.get_by_role("heading", level=1)
    assert text in heading.inner_text(), heading.inner_text()


def test_sign_up_to_a_sent_expression_of_interest(app, page, screenshot, assets):
    from playwright.sync_api import expect

    # Start page -> create an account.
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    expect_heading(page, "Create an account")
    page.get_by_label("Full name").fill("Ann Lead")
    page.get_by_label("Email address").fill("ann@riverside.example")
    page.get_by_label("Create a password").fill(PASSWORD)
    screenshot("applicant-01-sign-up")
    page.get_by_role("button", name="Create account").click()
    # Then sign in: being signed straight in would tell an address that already had an account.
    expect_heading(page, "Sign in")
    expect(page.get_by_text("Now sign in with your email address")).to_be_visible()
    # Confirm the address with the link the service e-mailed, as the group would from its inbox.
    [sent] = Path(app.config["MESSAGES_DIR"]).glob("message-*.json")
    body = json.loads(sent.read_text())["body"]
    page.goto(urlsplit(re.search(r"https?://\S+", body).group()).path)
    expect(page.get_by_text("ann@riverside.example is confirmed")).to_be_visible()
    page.get_by_label("Email address").fill("ann@riverside.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect_heading(page, "Your applications")

    # Register the organisation; a mistake first, to see the error summary.
    page.get_by_role("button", name="Register your organisation").click()
    expect_heading(page, "Register your organisation")
    page.get_by_role("button", name="Register organisation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to it
    screenshot("applicant-02-organisation-errors")
    summary.get_by_role("link", name="Enter name of the organisation").click()
    expect(page.get_by_label("Name of the organisation")).to_be_focused()
    page.get_by_label("Name of the organisation").fill("Friends of Riverside Park")
    page.get_by_role("group", name="Legal form").get_by_label(
        "Scottish charitable incorporated organisation (SCIO)").check()
    page.get_by_label("Charity number").fill("SC051234")
    page.get_by_label("Address", exact=True).fill("1 Main Street\nExampletown")
    page.get_by_label("Postcode").fill("ex1 2ab")
    page.get_by_label("Number of members", exact=True).fill("64")
    page.get_by_label("Members registered to vote in the area").fill("58")
    page.get_by_label("The community your organisation serves").fill("People of Riverside ward")
    for group in page.locator("fieldset").filter(has=page.locator("input[value=yes]")).all():
        group.get_by_label("Yes").check()
    page.get_by_role("button", name="Register organisation").click()
    expect_heading(page, "Friends of Riverside Park")
    expect(page.get_by_text("You are its lead contact")).to_be_visible()
    screenshot("applicant-03-organisation")

    # Find the asset in the register.
    page.get_by_role("link", name="Asset register").click()
    page.get_by_label("Search by name, address or description").fill("riverside")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 asset found")).to_be_visible()
    screenshot("applicant-04-asset-register")
    page.get_by_role("link", name="Riverside Park Pavilion").click()
    expect_heading(page, "Riverside Park Pavilion")

    # Start an application under the council's own policy.
    page.get_by_label("Community asset transfer", exact=True).check()
    screenshot("applicant-05-asset")
    page.get_by_role("button", name="Start application").click()
    expect(page.get_by_text("started. Your answers are saved as you go")).to_be_visible()
    screenshot("applicant-06-task-list")
    tasks = page.locator(".govuk-task-list")
    expect(tasks.locator(".govuk-task-list__item").first).to_contain_text("Your idea")
    expect(tasks.locator(".govuk-task-list__item").nth(2)).to_contain_text("Cannot start yet")

    # Answer the expression of interest's sections.
    tasks.get_by_role("link", name="Your idea").click()
    expect_heading(page, "Your idea")
    page.get_by_label("What do you want to do with it?").fill(
        "Reopen the pavilion as a community café and meeting space.")
    page.get_by_label("Lease", exact=True).check()
    page.get_by_label("Length of lease you would like (years)").fill("25")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers have been saved")).to_be_visible()
    expect(tasks.locator(".govuk-task-list__item").first).to_contain_text("In progress")
    tasks.get_by_role("link", name="Your idea").click()
    expect(page.get_by_label("Length of lease you would like (years)")).to_have_value("25")
    page.get_by_label("What need in the community will this meet?").fill(
        "There is no other meeting space within two miles.")
    page.get_by_role("button", name="Save and continue").click()
    tasks.get_by_role("link", name="Contact details").click()
    page.get_by_label("Contact name").fill("Ann Lead")
    page.get_by_label("Contact email").fill("ann@riverside.example")
    screenshot("applicant-07-question-page")
    page.get_by_role("button", name="Save and continue").click()
    expect(tasks.locator(".govuk-task-list__item").nth(1)).to_contain_text("Completed")

    # Check the answers, change one, and send.
    page.get_by_role("button", name="Send expression of interest").click()
    expect_heading(page, "Check your answers")
    page.get_by_role("link", name="Change contact phone number").click()
    page.get_by_label("Contact phone number").fill("0131 496 0000")
    page.get_by_role("button", name="Save and continue").click()
    expect_heading(page, "Check your answers")
    expect(page.get_by_text("0131 496 0000")).to_be_visible()
    page.get_by_role("button", name="Send expression of interest").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the box to confirm")
    page.get_by_label(re.compile("I confirm that the information")).check()
    screenshot("applicant-08-check-answers")
    page.get_by_role("button", name="Send expression of interest").click()

    panel = page.locator(".govuk-panel")
    expect(panel).to_contain_text("Expression of interest sent")
    reference = db.session.scalar(sa.select(Application.reference))
    expect(panel).to_contain_text(reference)
    screenshot("applicant-09-sent")

    # The application page now says where it stands, with the council's letter.
    page.get_by_role("link", name="Go to your application").click()
    expect(page.locator("[aria-current=step]").first).to_contain_text("Expression of interest sent")
    expect(page.get_by_role("link", name=re.compile(
        "Acknowledgement of your expression of interest"))).to_be_visible()
    expect(page.locator("#deadlines ~ table").first).to_contain_text("Pending")
    screenshot("applicant-10-application")

    # And it works on a phone.
    page.set_viewport_size(PHONE)
    screenshot("applicant-11-application-phone")
    page.goto("/applications/")
    expect(page.get_by_role("link", name="Riverside Park Pavilion")).to_be_visible()
    screenshot("applicant-12-applications-phone")
