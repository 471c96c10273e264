"""Reminders of deadlines: to whoever must act, 10 and 3 working days before and on the day
(REMINDER_WORKING_DAYS), counted on the workflow's calendar; once each; never for a deadline met
or closed. The daily sweep sends them."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.jobs.sweep import run_sweep
from assettransfer.models import Deadline, Message


@pytest.fixture
def nation():
    return "england"


def reminders() -> list[tuple[str, str]]:
    return [(m.key.split(":")[2], m.to_name) for m in db.session.scalars(
        select(Message).where(Message.kind == "deadline_reminder").order_by(Message.id))]


def sweep_every_day(first: date, last: date) -> dict[date, list[str]]:
    """Run the daily sweep on each day; what each day's run reminded, by key."""
    by_day = {}
    day = first
    while day <= last:
        before = {m.key for m in db.session.scalars(select(Message))}
        run_sweep(day, "command")
        new = sorted(m.key for m in db.session.scalars(select(Message)) if m.key not in before
                     and m.kind == "deadline_reminder")
        if new:
            by_day[day] = new
        day += timedelta(days=1)
    return by_day


def test_the_council_is_reminded_10_and_3_working_days_before_and_on_the_day_across_holidays(
        new_application, act, people):
    app_ = new_application("council-cat")
    act(people.applicant, app_, "submit_eoi", on=date(2026, 12, 14))
    deadline = db.session.scalar(select(Deadline).where(Deadline.name == "eoi_response"))
    # 20 working days beginning with 14 December 2026 in England: Christmas Day, Boxing Day's
    # substitute (28 December) and New Year's Day are not working days.
    assert deadline.due_on == date(2027, 1, 13)
    by_day = sweep_every_day(date(2026, 12, 14), date(2027, 1, 20))
    d = deadline.id
    # No officer has acted on the case yet: both officers are reminded.
    assert by_day == {
        date(2026, 12, 29): [f"reminder:{d}:10:{people.officer.id}",
                             f"reminder:{d}:10:{people.officer2.id}"],
        date(2027, 1, 8): [f"reminder:{d}:3:{people.officer.id}",
                           f"reminder:{d}:3:{people.officer2.id}"],
        date(2027, 1, 13): [f"reminder:{d}:0:{people.officer.id}",
                            f"reminder:{d}:0:{people.officer2.id}"],
    }
    message = db.session.scalar(select(Message).where(Message.key == f"reminder:{d}:3:"
                                                      f"{people.officer.id}"))
    assert not message.statutory  # a service level of the council's own policy
    assert "Council's response to the expression of interest: due by the end of 13 January " \
           "2027, is due in 3 working days." in message.body


def test_a_met_deadline_is_not_reminded_and_the_group_is_reminded_of_its_own(
        new_application, act, people, app):
    app.config["REMINDER_WORKING_DAYS"] = [3, 0]
    app_ = new_application("council-cat")
    act(people.applicant, app_, "submit_eoi", on=date(2027, 3, 1))
    act(people.officer, app_, "accept_eoi", on=date(2027, 3, 2))  # meets eoi_response
    business_case = db.session.scalar(select(Deadline).where(Deadline.name == "business_case"))
    assert business_case.due_on == date(2027, 6, 2)
    sweep_every_day(date(2027, 3, 1), date(2027, 6, 3))
    # Only the group's business case deadline: the council's response was met the day after.
    assert reminders() == [("3", "Ann Lead"), ("3", "Bob Member"),
                           ("0", "Ann Lead"), ("0", "Bob Member")]
    assert sweep_every_day(date(2027, 6, 2), date(2027, 6, 2)) == {}  # each reminder once


def test_a_closed_case_is_not_reminded(new_application, act, people):
    app_ = new_application("council-cat")
    act(people.applicant, app_, "submit_eoi", on=date(2027, 3, 1))
    act(people.officer, app_, "decline_eoi", on=date(2027, 3, 2), reasons="Not suitable.")
    assert sweep_every_day(date(2027, 3, 1), date(2027, 4, 30)) == {}


def test_the_sweep_records_the_reminders_it_sent(new_application, act, people):
    app_ = new_application("council-cat")
    act(people.applicant, app_, "submit_eoi", on=date(2027, 3, 1))
    # Due 30 March 2027: Good Friday and Easter Monday (26 and 29 March) are bank holidays.
    run = run_sweep(date(2027, 3, 30), "command")
    assert run.details == [{"reference": app_.reference, "action": "remind",
                            "outcome": "reminded", "message": "2 reminders"}]
    assert (run.taken, run.refused) == (0, 0)
    assert {key for key, _ in reminders()} == {"0"}
