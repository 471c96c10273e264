"""england-acv: nomination, listing, owner's review, and the moratorium clocks of s95(6)."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Deadline, LegalForm
from assettransfer.services.errors import ValidationFailed
from assettransfer.workflow.calendar import uk_today
from tests.workflow.acv import disposal_notified_on, letter_text, letters


def due(name):
    return db.session.scalar(select(Deadline.due_on).where(Deadline.name == name,
                                                           Deadline.superseded_at.is_(None)))


def test_nomination_decision_due_eight_weeks_after_receipt(new_application, people, act):
    # Reg 7, "within eight weeks of receiving": the day of receipt is not day one.
    app_ = new_application("england-acv")
    act(people.applicant, app_, "submit", on=date(2026, 11, 2))
    assert app_.reference.startswith("ACV-") and app_.state == "nominated"
    assert due("listing_decision") == date(2026, 12, 28)


def test_listing_runs_five_years_and_owner_may_ask_for_review_in_eight_weeks(
        new_application, people, act):
    app_ = new_application("england-acv")
    act(people.applicant, app_, "submit")
    act(people.officer, app_, "list", reasons="r", on=date(2026, 11, 2))
    assert due("listing_expiry") == date(2031, 11, 1)  # s87(3): 5 years beginning with the entry
    assert due("owner_review_request") == date(2026, 12, 28)  # the owner's: the later reading


def test_unincorporated_nominator_needs_21_local_voters(new_application, people, act):
    people.organisation.legal_form = LegalForm.UNINCORPORATED_ASSOCIATION
    people.organisation.local_voter_member_count = 20
    db.session.commit()
    app_ = new_application("england-acv")
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "submit")
    assert [e.message for e in refused.value.errors] == [
        "An unincorporated group needs at least 21 members registered to vote in the area; "
        "yours has 20"]
    people.organisation.local_voter_member_count = 21
    db.session.commit()
    act(people.applicant, app_, "submit")
    assert app_.state == "nominated"


def test_nominator_needs_a_local_connection(new_application, people, act):
    app_ = new_application("england-acv")
    app_.answers = {**app_.answers,
                    "eligibility": {**app_.answers["eligibility"], "local_connection": False}}
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "submit")
    assert (refused.value.errors[0].message
            == "Only a group with a local connection can nominate an asset")


def test_decline_ends_the_nomination(new_application, people, act):
    app_ = new_application("england-acv")
    act(people.applicant, app_, "submit")
    act(people.officer, app_, "decline", reasons="Ancillary use only.")
    assert app_.state == "not_listed" and app_.next_due_on is None


def test_owner_review_decided_by_someone_other_than_the_listing_officer(
        new_application, people, act, walk):
    app_ = walk(new_application("england-acv"), "listed")
    act(people.officer, app_, "request_owner_review", received_on=uk_today().isoformat(),
        owner_name="Brewery Holdings", grounds="Not of community value.", oral_hearing="no")
    assert due("owner_review_decision") == uk_today() + timedelta(weeks=8, days=-1)
    people.officer.role = people.decision_maker.role  # the listing officer, now a decision maker
    db.session.commit()
    with pytest.raises(ValidationFailed, match="cannot be taken yet"):
        act(people.officer, app_, "uphold_listing", reasons="r")
    act(people.decision_maker, app_, "uphold_listing", reasons="Use is not ancillary.")
    assert app_.state == "listed"


def test_owner_review_request_out_of_time_is_refused(new_application, people, act):
    app_ = new_application("england-acv")
    act(people.applicant, app_, "submit")
    act(people.officer, app_, "list", reasons="r", on=date(2026, 9, 1))
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, app_, "request_owner_review", received_on="2026-10-28",
            owner_name="Owner", grounds="g", oral_hearing="no")
    assert "ended on 27 October 2026" in refused.value.errors[0].message


def test_disposal_notice_starts_the_three_periods(new_application, people, act, walk):
    app_ = walk(new_application("england-acv"), "listed")
    act(people.officer, app_, "notify_disposal", notice_received_on="2026-11-02",
        disposal_details="Freehold sale with vacant possession.")
    assert app_.state == "interim_moratorium"
    assert due("interim_moratorium") == date(2026, 12, 13)
    assert due("full_moratorium") == date(2027, 5, 1)
    assert due("protected_period") == date(2028, 5, 1)


def test_interest_after_the_interim_period_is_refused(new_application, people, act, walk):
    app_ = walk(new_application("england-acv"), "listed")
    act(people.officer, app_, "notify_disposal", notice_received_on="2026-11-02",
        disposal_details="d")
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "express_interest", statement="We wish to bid.",
            on=date(2026, 12, 14))
    assert "ended on 13 December 2026" in refused.value.errors[0].message
    act(people.applicant, app_, "express_interest", statement="We wish to bid.",
        on=date(2026, 12, 13))
    assert app_.state == "full_moratorium"


def test_sale_to_the_community_is_recorded(new_application, people, act, walk):
    app_ = walk(new_application("england-acv"), "transferred")
    assert app_.state == "transferred"


def test_a_sale_to_a_community_group_takes_the_land_off_the_list_with_notices(
        new_application, people, act):
    """reg 2(b) and s91: a sale to a community interest group is a relevant disposal; the land
    is removed and the owner, the occupier and the nominator are each told why."""
    app_ = disposal_notified_on(act, people, new_application("england-acv"), date(2026, 11, 2))
    act(people.applicant, app_, "express_interest", statement="We wish to bid.",
        on=date(2026, 11, 9))
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, app_, "record_sale_to_community", sale_date="2027-01-05",
            buyer="b", reasons="r", on=date(2027, 1, 4))
    assert "today or earlier" in refused.value.errors[0].message
    event = act(people.officer, app_, "record_sale_to_community", sale_date="2027-01-04",
                buyer="Red Lion Community Pub Ltd", reasons="The freehold, for £350,000.",
                owner_name="Red Lion Community Pub Ltd", owner_address="The Red Lion\nLeeds",
                on=date(2027, 1, 4))
    assert (app_.state, app_.next_due_on) == ("transferred", None)
    assert set(letters(app_, event)) == {
        "removal_notice", "removal_notice_owner", "removal_notice_occupier"}
    to_owner = " ".join(letter_text(app_, "removal_notice_owner").split())
    for phrase in ("Dear Red Lion Community Pub Ltd", "sold to Red Lion Community Pub Ltd, a "
                   "community interest group, on 4 January 2027", "regulation 2(b)",
                   "The freehold, for £350,000."):
        assert phrase in to_owner, phrase
    assert "The freehold, for £350,000." in letter_text(app_, "removal_notice")
