"""Working days and the three ways periods are counted, on known calendars."""
from datetime import date

import pytest

from assettransfer.workflow.calendar import Period, WorkingCalendar, add_months

SCOTLAND = WorkingCalendar("scotland")
ENGLAND = WorkingCalendar("england")


def test_twenty_scottish_working_days_from_14_december_2026():
    # 28 December, 1 January and 4 January (substitute for 2 January) are Scottish holidays.
    period = Period(20, "working_days", "beginning_with")
    assert period.due_date(date(2026, 12, 14), SCOTLAND) == date(2027, 1, 14)


def test_same_period_in_england_ends_a_day_earlier():
    period = Period(20, "working_days", "beginning_with")
    assert period.due_date(date(2026, 12, 14), ENGLAND) == date(2027, 1, 13)


def test_the_rule_in_words_names_the_calendar():
    period = Period(20, "working_days", "beginning_with")
    assert period.describe(date(2026, 12, 14), SCOTLAND) == (
        "20 working days beginning with 14 December 2026, Scottish bank holidays excluded"
    )


@pytest.mark.parametrize(("day", "scotland", "england"), [
    (date(2027, 3, 29), True, False),   # Easter Monday 2027: England only
    (date(2027, 1, 4), False, True),    # 2 January substitute: Scotland only
    (date(2026, 11, 30), False, True),  # St Andrew's Day 2026 (a Monday): Scotland only
    (date(2027, 8, 2), False, True),    # first Monday of August: Scotland's summer holiday
    (date(2027, 8, 30), True, False),   # last Monday of August: England's
])
def test_holidays_differ_between_nations(day, scotland, england):
    assert SCOTLAND.is_working_day(day) is scotland
    assert ENGLAND.is_working_day(day) is england


def test_easter_shifts_english_but_not_scottish_deadlines():
    period = Period(5, "working_days", "beginning_with")
    start = date(2027, 3, 24)  # Wednesday before Good Friday (26 March)
    assert period.due_date(start, SCOTLAND) == date(2027, 3, 31)
    assert period.due_date(start, ENGLAND) == date(2027, 4, 1)


def test_start_on_a_holiday_is_not_day_one():
    period = Period(1, "working_days", "beginning_with")
    assert period.due_date(date(2026, 12, 25), ENGLAND) == date(2026, 12, 29)


def test_local_holidays_are_excluded_too():
    local = WorkingCalendar("scotland", (date(2027, 1, 15),))
    period = Period(21, "working_days", "beginning_with")
    assert period.due_date(date(2026, 12, 14), SCOTLAND) == date(2027, 1, 15)
    assert period.due_date(date(2026, 12, 14), local) == date(2027, 1, 18)
    assert "local holidays" in period.describe(date(2026, 12, 14), local)


@pytest.mark.parametrize(("length", "unit", "due"), [
    (6, "weeks", date(2026, 12, 13)),
    (6, "months", date(2027, 5, 1)),
    (18, "months", date(2028, 5, 1)),
    (5, "years", date(2031, 11, 1)),
])
def test_periods_beginning_with_end_the_day_before_the_corresponding_date(length, unit, due):
    assert Period(length, unit, "beginning_with").due_date(date(2026, 11, 2), ENGLAND) == due


def test_a_month_period_beginning_on_the_31st_runs_to_the_end_of_a_short_month():
    assert (Period(6, "months", "beginning_with").due_date(date(2026, 8, 31), ENGLAND)
            == date(2027, 2, 28))


@pytest.mark.parametrize(("start", "due"), [
    (date(2026, 12, 14), date(2027, 6, 14)),
    (date(2026, 8, 31), date(2027, 2, 28)),
    (date(2027, 8, 31), date(2028, 2, 29)),  # leap year
])
def test_months_after_clamps_to_the_months_end(start, due):
    assert Period(6, "months", "after").due_date(start, SCOTLAND) == due


def test_add_months_crosses_years():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(("args", "message"), [
    ((0, "days", "after"), "at least 1"),
    ((3, "fortnights", "after"), "unit must be"),
    ((3, "days", "around"), "counting must be"),
])
def test_bad_periods_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        Period(*args)


def test_unknown_nation_is_refused():
    with pytest.raises(ValueError, match="unknown nation"):
        WorkingCalendar("cornwall")
