"""Removal from the list (SI 2012/2421 reg 2; Localism Act 2011 s87(3)), each with a notice and
its reasons to the owner, the occupier and the nominator (s91(2), (4)); a removal ends any
moratorium. Exempt disposals (s95(5)) start none. The list of unsuccessful nominations (s93)."""
from datetime import date

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import AssetStatus, Event
from assettransfer.services.errors import ValidationFailed
from assettransfer.services.unsuccessful import unsuccessful_nominations
from assettransfer.workflow.calendar import uk_today
from tests.workflow.acv import (
    deadline,
    disposal_notified_on,
    letter_text,
    letters,
    listed_on,
)

REMOVAL_NOTICES = {"removal_notice", "removal_notice_owner", "removal_notice_occupier"}
LISTING_CLOCKS = ("listing_expiry", "interim_moratorium", "full_moratorium", "protected_period")


def sweep(runner, day: date):
    result = runner.invoke(args=["deadlines", "sweep", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def test_land_no_longer_of_community_value_is_removed_and_its_moratorium_ends(
        new_application, people, act):
    application = disposal_notified_on(act, people, new_application("england-acv"),
                                       date(2026, 11, 13))
    event = act(people.officer, application, "remove_no_longer_of_value", on=date(2026, 11, 20),
                reasons="The pub closed in 2024 and the building is now a house.")
    assert (application.state, application.next_due_on) == ("removed", None)
    assert application.asset.status is AssetStatus.AVAILABLE
    assert all(not deadline(application, name).is_open for name in LISTING_CLOCKS)
    assert set(letters(application, event)) == REMOVAL_NOTICES
    to_owner = letter_text(application, "removal_notice_owner")
    assert "Dear Brewery Holdings Ltd" in to_owner and "now a house" in to_owner
    assert "including any moratorium that was running" in to_owner


@pytest.fixture
def protected(new_application, people, act, runner):
    """The owner's notice received on 13 November 2026 and no group asked: the protected period
    runs to Friday 12 May 2028."""
    application = disposal_notified_on(act, people, new_application("england-acv"),
                                       date(2026, 11, 13))
    sweep(runner, date(2026, 12, 25))
    db.session.refresh(application)
    assert application.state == "protected_period"
    return application


def test_a_relevant_disposal_in_the_protected_period_removes_the_land(protected, people, act):
    sale = {"reasons": "Freehold sold with vacant possession to Acme Homes Ltd.",
            "owner_name": "Acme Homes Ltd", "owner_address": "9 Market Place\nYork YO1 1AA"}
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, protected, "remove_after_disposal", on=date(2028, 5, 13),
            disposal_date="2028-05-13", **sale)
    assert [e.message for e in refused.value.errors] == [
        "The end of the protected period ended on 12 May 2028"]
    event = act(people.officer, protected, "remove_after_disposal", on=date(2028, 5, 12),
                disposal_date="2028-05-12", **sale)
    assert protected.state == "removed"
    assert set(letters(protected, event)) == REMOVAL_NOTICES
    # The notice to the owner goes to the new owner the disposal made.
    to_owner = letter_text(protected, "removal_notice_owner")
    assert "Dear Acme Homes Ltd" in to_owner and "relevant disposal on 12 May 2028" in to_owner


def test_the_land_is_removed_only_after_an_appeal_the_tribunal_allowed(
        new_application, people, act, walk):
    application = walk(new_application("england-acv"), "listed")
    act(people.officer, application, "request_owner_review", received_on=uk_today().isoformat(),
        owner_name="Brewery Holdings", grounds="g", oral_hearing="no")
    act(people.decision_maker, application, "uphold_listing", reasons="Still a pub.")
    ruling = {"decided_on": uk_today().isoformat(), "reasons": "Ancillary use only."}
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, application, "remove_after_appeal", **ruling)
    assert [e.message for e in refused.value.errors] == [
        "No appeal to the First-tier Tribunal is awaiting its decision"]
    act(people.officer, application, "record_tribunal_appeal", lodged_on=uk_today().isoformat(),
        tribunal_reference="CR/2026/0042")
    event = act(people.officer, application, "remove_after_appeal", **ruling)
    assert application.state == "removed"
    assert set(letters(application, event)) == REMOVAL_NOTICES
    assert "First-tier Tribunal allowed" in letter_text(application, "removal_notice")


def test_a_dismissed_appeal_leaves_the_land_listed(new_application, people, act, walk):
    application = walk(new_application("england-acv"), "listed")
    act(people.officer, application, "request_owner_review", received_on=uk_today().isoformat(),
        owner_name="Brewery Holdings", grounds="g", oral_hearing="no")
    act(people.decision_maker, application, "uphold_listing", reasons="Still a pub.")
    act(people.officer, application, "record_tribunal_appeal", lodged_on=uk_today().isoformat(),
        tribunal_reference="CR/2026/0042")
    act(people.officer, application, "record_appeal_dismissed",
        decided_on=uk_today().isoformat(), summary="Appeal dismissed.")
    with pytest.raises(ValidationFailed):
        act(people.officer, application, "remove_after_appeal",
            decided_on=uk_today().isoformat(), reasons="r")
    assert application.state == "listed"


def test_a_listing_entered_on_29_february_expires_at_five_years_even_in_a_moratorium(
        new_application, people, act, runner):
    # s87(3): five years beginning with 29 February 2028; there is no 29 February 2033, so the
    # period runs to the end of February: the entry goes with effect from the end of 28 February.
    application = listed_on(act, people, new_application("england-acv"), date(2028, 2, 29))
    assert deadline(application, "listing_expiry").due_on == date(2033, 2, 28)
    act(people.officer, application, "notify_disposal", notice_received_on="2033-02-10",
        disposal_details="Sale.", on=date(2033, 2, 10))
    assert f"{application.reference}: expire" not in sweep(runner, date(2033, 2, 28))
    assert f"{application.reference}: expire" in sweep(runner, date(2033, 3, 1))
    db.session.refresh(application)
    assert (application.state, application.next_due_on) == ("expired", None)
    assert not deadline(application, "interim_moratorium").is_open
    event = db.session.scalar(select(Event).where(Event.action == "expire"))
    assert event.payload == {"expired_on": "2033-02-28"}
    assert set(letters(application, event)) == REMOVAL_NOTICES
    assert "ended on 28 February 2033" in letter_text(application, "removal_notice_occupier")


def test_an_exempt_disposal_names_its_exemption_and_starts_no_moratorium(
        new_application, people, act, walk):
    application = walk(new_application("england-acv"), "listed")
    gift = {"disposal_date": uk_today().isoformat(), "details": "Given to the owner's son.",
            "owner_name": "Tom Brewer", "owner_address": "2 Mill Lane\nLeeds LS2 2BB"}
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, application, "record_exempt_disposal", exemption="sale", **gift)
    assert [e.field for e in refused.value.errors] == ["data.exemption"]
    event = act(people.officer, application, "record_exempt_disposal", exemption="family", **gift)
    assert (event.from_state, event.to_state) == ("listed", "listed")
    assert event.payload["exemption"] == "family"
    assert deadline(application, "interim_moratorium") is None
    # The land stays listed, and the new owner is the one later notices go to.
    act(people.officer, application, "remove_no_longer_of_value", reasons="The pub has closed.")
    assert "Dear Tom Brewer" in letter_text(application, "removal_notice_owner")


def test_an_unsuccessful_nomination_is_on_the_list_for_five_years(new_application, people, act):
    application = new_application("england-acv")
    act(people.applicant, application, "submit", on=date(2028, 2, 1))
    act(people.officer, application, "decline", reasons="Ancillary use only.",
        on=date(2028, 2, 29))
    entry = deadline(application, "unsuccessful_nomination")
    assert (entry.starts_on, entry.due_on, application.next_due_on) == (
        date(2028, 2, 29), date(2033, 2, 28), None)
    assert unsuccessful_nominations(date(2028, 2, 28)) == []
    [listed] = unsuccessful_nominations(date(2033, 2, 28))
    assert (listed.reference, listed.entered_on, listed.kept_until, listed.reasons) == (
        application.reference, date(2028, 2, 29), date(2033, 2, 28), "Ancillary use only.")
    assert (listed.asset_name, listed.nominated_by) == (
        application.asset.name, people.organisation.name)
    assert unsuccessful_nominations(date(2033, 3, 1)) == []
