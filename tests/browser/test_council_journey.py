"""The council's side of a council-cat transfer in real headless Chromium: an officer accepts an
expression of interest, two officers score the business case, a decision maker who did not assess
it approves, and legal issue, sign and complete the legal pack. The group's steps are taken
through the services between the council's, as the group's own pages are tested elsewhere."""

import re

import pytest

from assettransfer.documents.service import current_legal_pack
from assettransfer.extensions import db
from assettransfer.models import AssetStatus
from tests.factories import PASSWORD
from tests.workflow.conftest import act, asset, attach, new_application, people  # noqa: F401

pytestmark = pytest.mark.browser

SCORES = {
    "Community benefit": ("4", "3"),
    "Financial sustainability": ("3", "4"),
    "Governance and capacity": ("4", "4"),
    "Deliverability": ("3", "3"),
    "Value for money": ("4", "2"),
}


def expect_heading(page, text: str) -> None:
    heading = page.get_by_role("heading", level=1)
    assert text in heading.inner_text(), heading.inner_text()


def sign_in(page, user) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_heading(page, "Council dashboard")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def open_case(page, application) -> None:
    page.goto("/council/")
    page.get_by_role("link", name=application.reference).first.click()
    expect_heading(page, application.asset.name)


def take(page, label: str) -> None:
    """Open an action from the case page's "What you can do" column."""
    page.locator("#actions").get_by_role("button", name=label).click()
    expect_heading(page, label)


def submit(page, label: str) -> None:
    page.locator("form").get_by_role("button", name=label).click()


def done(page, label: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text(f"Done: {label}.")).to_be_visible()


def refreshed(application):
    """The test's session sees what the server's requests committed."""
    db.session.expire_all()
    return application


def test_officer_accepts_an_eoi_to_legal_completing_the_transfer(
        page, screenshot, people, new_application, act):  # noqa: F811
    from playwright.sync_api import expect

    application = new_application("council-cat")
    act(people.applicant, application, "submit_eoi")

    # An officer finds the expression of interest in the queue and invites a business case.
    sign_in(page, people.officer)
    queue = page.locator("#queue-table")
    expect(queue.get_by_role("link", name=application.reference)).to_be_visible()
    screenshot("council-01-dashboard")
    open_case(page, application)
    expect(page.get_by_text("Expression of interest received").first).to_be_visible()
    screenshot("council-02-case")
    take(page, "Invite a business case")
    page.get_by_label("Message to the group").fill("Please include a five-year cash flow.")
    submit(page, "Invite a business case")
    done(page, "Invite a business case")
    assert refreshed(application).state == "business_case"

    # The group sends its business case with its documents (through the services).
    for kind in ("business_plan", "accounts", "constitution"):
        attach(application, kind, people.applicant)
    act(people.applicant, application, "submit_application")

    page.reload()
    take(page, "Start assessment")
    submit(page, "Start assessment")
    done(page, "Start assessment")

    # Two officers score it against the council's criteria.
    for index, officer in enumerate((people.officer, people.officer2)):
        if index:
            sign_out(page)
            sign_in(page, officer)
            open_case(page, application)
        page.get_by_role("link", name="Assessment and scores").click()
        expect_heading(page, "Assessment")
        for criterion, scores in SCORES.items():
            group = page.get_by_role("group", name=f"Score for {criterion.lower()} (0 to 5)")
            group.get_by_label(scores[index], exact=True).check()
        page.locator("textarea[name=comment_community_benefit]").fill("Strong local support.")
        page.get_by_role("button", name="Save your assessment").click()
        expect(page.get_by_text("Your assessment has been saved.")).to_be_visible()
    expect(page.locator("#scores")).to_contain_text("Owen Officer")
    expect(page.locator("#scores")).to_contain_text("Olga Officer")
    expect(page.locator("#average")).to_contain_text("against a pass mark of 60%")
    screenshot("council-03-assessment")

    # The second officer, still signed in, recommends approval.
    page.get_by_role("link", name=f"Back to {application.reference}").click()
    take(page, "Make recommendation")
    page.get_by_role("group", name="Recommendation").get_by_label("Approve").check()
    page.get_by_label("Summary for the decision maker").fill("Scores above the pass mark.")
    submit(page, "Make recommendation")
    done(page, "Make recommendation")
    sign_out(page)

    # A decision maker reads the recommendation and report, then approves.
    sign_in(page, people.decision_maker)
    expect(page.locator("#queue-table").get_by_role("link", name=application.reference)
           ).to_be_visible()
    open_case(page, application)
    take(page, "Approve transfer")
    expect(page.locator("#recommendation")).to_contain_text("Scores above the pass mark.")
    expect(page.get_by_role("link", name=re.compile(r"Assessment report"))).to_be_visible()
    page.get_by_role("group", name="Type of transfer").get_by_label("Lease").check()
    page.get_by_label("Term in years").fill("25")
    page.get_by_label("Rent per year or price").fill("1")
    page.get_by_label("Best consideration reasonably obtainable (market value)").fill("250000")
    page.get_by_label("Value of the consideration agreed").fill("0")
    page.get_by_role("group", name="Consent relied on for any undervalue").get_by_label(
        "Scotland or Northern Ireland: the basis stated below").check()
    page.get_by_label("Basis relied on in Scotland or Northern Ireland").fill(
        "Disposal of Land by Local Authorities (Scotland) Regulations 2010 regs 3 and 4.")
    page.get_by_label("Conditions").fill("Community use only; repairing lease.")
    page.get_by_label("Reasons for the decision").fill("Meets the council's policy.")
    page.get_by_label("Yes, approve transfer").check()
    screenshot("council-04-decision")
    submit(page, "Approve transfer")
    done(page, "Approve transfer")
    assert refreshed(application).state == "heads_of_terms"
    sign_out(page)

    # The group accepts the heads of terms.
    act(people.applicant, application, "agree_heads_of_terms")

    # Legal issue the pack and look at its manifest.
    sign_in(page, people.legal)
    expect(page.locator("#queue-table").get_by_role("link", name=application.reference)
           ).to_be_visible()
    open_case(page, application)
    take(page, "Issue legal pack")
    submit(page, "Issue legal pack")
    done(page, "Issue legal pack")
    page.get_by_role("link", name="Legal pack and manifest").click()
    pack = current_legal_pack(refreshed(application))
    expect(page.locator("#pack-sha256")).to_have_text(pack.sha256)
    expect(page.locator("#manifest")).to_contain_text("Heads of terms")
    screenshot("council-05-legal-pack")

    # Both parties sign: the group through the services, legal in the browser.
    act(people.applicant, application, "sign", pack_sha256=pack.sha256, full_name="Ann Lead",
        password=PASSWORD)
    page.locator("main").get_by_role("button", name="Sign the legal pack").click()
    expect(page.get_by_label("Fingerprint (SHA-256) of the pack you read")).to_have_value(
        pack.sha256)
    page.get_by_label("Your full name").fill("Lee Gal")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("Yes, sign the legal pack").check()
    screenshot("council-06-sign")
    submit(page, "Sign the legal pack")
    done(page, "Sign the legal pack")

    take(page, "Complete the transfer")
    page.get_by_label("Yes, complete the transfer").check()
    submit(page, "Complete the transfer")
    done(page, "Complete the transfer")
    expect(page.get_by_text("Transfer completed").first).to_be_visible()
    screenshot("council-07-completed")

    application = refreshed(application)
    assert application.state == "completed"
    assert application.asset.status is AssetStatus.TRANSFERRED
