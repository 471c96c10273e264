"""Statutory clocks at their edges: the day a period expires, what may still happen after it, and
the reading a council must take where a regulation's wording is not settled."""
from datetime import date

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Deadline, Event
from assettransfer.services.errors import ValidationFailed


def deadline(name):
    return db.session.scalar(select(Deadline)
                             .where(Deadline.name == name, Deadline.superseded_at.is_(None))
                             .order_by(Deadline.id.desc()))


@pytest.fixture
def overdue(new_application, people, act, walk, runner):
    """A Scottish request validated on 31 December 2026 and not decided: the period allowed for
    determination (six months after, reg 10) expires on 30 June 2027, and the sweep runs the
    next morning."""
    app_ = walk(new_application("scotland-atr"), "submitted")
    act(people.officer, app_, "validate", s84_position="barred", validation_date="2026-12-31",
        on=date(2026, 12, 31))
    assert deadline("decision").due_on == date(2027, 6, 30)
    result = runner.invoke(args=["deadlines", "sweep", "--today", "2027-07-01"])
    assert result.exit_code == 0, result.output
    db.session.refresh(app_)
    assert app_.state == "decision_overdue"
    return app_


def test_the_sweep_records_the_last_day_of_the_period_as_its_expiry(overdue):
    event = db.session.scalar(select(Event).where(Event.action == "mark_overdue"))
    assert event.payload == {"expired_on": "2027-06-30"}


def test_the_review_window_after_no_decision_begins_with_the_date_of_expiry(
        overdue, people, act):
    # SSI 2016/358 reg 3(2)(b): 20 working days beginning with 30 June 2027 (Scottish calendar).
    window = deadline("review_request")
    assert (window.starts_on, window.due_on) == (date(2027, 6, 30), date(2027, 7, 27))
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, overdue, "request_review", reasons="No decision.",
            procedure="written", on=date(2027, 7, 28))
    assert "ended on 27 July 2027" in refused.value.errors[0].message
    act(people.applicant, overdue, "request_review", reasons="No decision.", procedure="written",
        on=date(2027, 7, 27))
    assert overdue.state == "under_review"


def test_the_council_may_still_decide_after_the_period_until_a_review_is_asked_for(
        overdue, people, act):
    act(people.decision_maker, overdue, "refuse", reasons="The land is needed for a school.",
        on=date(2027, 7, 5))
    assert overdue.state == "refused"
    # The decision notice starts the group's 20 working days afresh (reg 3(2)(a)).
    window = deadline("review_request")
    assert (window.starts_on, window.due_on) == (date(2027, 7, 5), date(2027, 7, 30))


def test_no_late_decision_once_the_group_has_asked_for_a_review(overdue, people, act):
    act(people.applicant, overdue, "request_review", reasons="No decision.", procedure="written",
        on=date(2027, 7, 2))
    with pytest.raises(ValidationFailed):
        act(people.decision_maker, overdue, "refuse", reasons="Too late.", on=date(2027, 7, 5))
