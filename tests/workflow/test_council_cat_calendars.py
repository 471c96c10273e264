"""council-cat's service levels and the group's periods (the council's policy) on the calendar of
the council's nation: England, Wales, Scotland or Northern Ireland (AUTHORITY_NATION)."""
from datetime import date

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Deadline
from tests.workflow.conftest import AT_BEST_CONSIDERATION

D = date
NATIONS = ("england", "wales", "scotland", "northern-ireland")


@pytest.fixture
def nation():
    """The authority's nation, whose law and calendar council-cat follows (see conftest)."""
    return "england"


def deadline(name) -> Deadline:
    return db.session.scalar(select(Deadline).where(Deadline.name == name,
                                                    Deadline.superseded_at.is_(None)))


def by_nation(england, scotland, northern_ireland) -> list:
    """(nation, due date) cases: Wales keeps England's bank holidays."""
    return list(zip(NATIONS, (england, england, scotland, northern_ireland), strict=True))


# 20 working days beginning with Monday 14 December 2026: Christmas Day (Friday), Boxing Day's
# substitute (Monday 28th) and New Year's Day (Friday) everywhere; Scotland also 2 January's
# substitute, Monday 4 January.
@pytest.mark.parametrize("nation, due", by_nation(D(2027, 1, 13), D(2027, 1, 14), D(2027, 1, 13)))
@pytest.mark.parametrize("sent", [D(2026, 12, 14),
                                  D(2026, 12, 12), D(2026, 12, 13)])  # Saturday, Sunday
def test_the_eoi_response_over_christmas(new_application, people, act, nation, due, sent):
    application = new_application("council-cat")
    act(people.applicant, application, "submit_eoi", on=sent)
    row = deadline("eoi_response")
    assert (row.starts_on, row.due_on) == (sent, due)
    assert application.next_due_on == due


# Sent on St Patrick's Day (Wednesday 17 March 2027), a bank holiday in Northern Ireland only;
# Good Friday (26 March) everywhere; Easter Monday (29 March) everywhere but Scotland.
@pytest.mark.parametrize("nation, due", by_nation(D(2027, 4, 15), D(2027, 4, 14), D(2027, 4, 16)))
def test_the_eoi_response_from_a_bank_holiday_of_one_nation(new_application, people, act,
                                                            nation, due):
    application = new_application("council-cat")
    act(people.applicant, application, "submit_eoi", on=D(2027, 3, 17))
    assert deadline("eoi_response").due_on == due


# Sent on St Andrew's Day (Monday 30 November 2026), a bank holiday in Scotland only.
@pytest.mark.parametrize("nation, due",
                         by_nation(D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 29)))
def test_the_eoi_response_from_st_andrews_day(new_application, people, act, nation, due):
    application = new_application("council-cat")
    act(people.applicant, application, "submit_eoi", on=D(2026, 11, 30))
    assert deadline("eoi_response").due_on == due


# The group's 20 working days after a request made on Christmas Eve 2026: the day of the request
# does not count.
@pytest.mark.parametrize("nation, due", by_nation(D(2027, 1, 26), D(2027, 1, 27), D(2027, 1, 26)))
def test_the_groups_reply_to_a_request_for_information(new_application, people, act, walk,
                                                      nation, due):
    application = walk(new_application("council-cat"), "application_submitted")
    act(people.officer, application, "request_information", on=D(2026, 12, 24),
        missing_items="Signed accounts")
    row = deadline("information")
    assert (row.starts_on, row.due_on) == (D(2026, 12, 24), due)
    act(people.applicant, application, "provide_information")
    assert row.met_at is not None


# The 60 working days for the decision, beginning with Monday 1 March 2027: Easter, the early
# May bank holiday and St Patrick's Day on the nations' calendars.
@pytest.mark.parametrize("nation, due", by_nation(D(2027, 5, 26), D(2027, 5, 25), D(2027, 5, 27)))
def test_the_decision_on_an_application(new_application, people, act, walk, nation, due):
    application = walk(new_application("council-cat"), "business_case", then=3)  # the uploads
    act(people.applicant, application, "submit_application", on=D(2027, 3, 1))
    assert deadline("decision").due_on == due


# Months are counted after the day they start, to the corresponding date, or the month's last day
# when it has none.
@pytest.mark.parametrize("invited, due", [
    (D(2026, 11, 30), D(2027, 2, 28)),
    (D(2027, 11, 29), D(2028, 2, 29)),
    (D(2027, 11, 30), D(2028, 2, 29)),
    (D(2027, 12, 1), D(2028, 3, 1)),
])
def test_three_months_for_the_business_case(new_application, people, act, invited, due):
    application = new_application("council-cat")
    act(people.applicant, application, "submit_eoi", on=invited)
    act(people.officer, application, "accept_eoi", on=invited)
    assert deadline("business_case").due_on == due


@pytest.mark.parametrize("approved, due", [
    (D(2026, 12, 31), D(2027, 2, 28)),
    (D(2027, 12, 29), D(2028, 2, 29)),
    (D(2027, 12, 31), D(2028, 2, 29)),
])
def test_two_months_to_accept_the_heads_of_terms(new_application, people, act, walk,
                                                 approved, due):
    application = walk(new_application("council-cat"), "recommended")
    act(people.decision_maker, application, "approve", on=approved, transfer_type="lease",
        term_years=25, rent_or_price="1", conditions="Use.", reasons="Fine.",
        **AT_BEST_CONSIDERATION)
    assert deadline("heads_of_terms").due_on == due
    act(people.applicant, application, "agree_heads_of_terms")
    assert deadline("heads_of_terms").met_at is not None
