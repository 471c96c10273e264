"""Working days and the three ways periods are counted, on known calendars."""
from datetime import date

import pytest

from assettransfer.workflow.calendar import Period, WorkingCalendar, add_months, configured_days

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


NATIONS = ("england", "wales", "scotland", "northern-ireland")


@pytest.mark.parametrize(("nation", "due"), [
    # 20 working days after Friday 18 December 2026: Christmas, Boxing Day (observed on Monday
    # 28th) and New Year's Day in every nation; 4 January (for 2 January) in Scotland only.
    ("england", date(2027, 1, 20)),
    ("wales", date(2027, 1, 20)),
    ("scotland", date(2027, 1, 21)),
    ("northern-ireland", date(2027, 1, 20)),
])
def test_working_days_over_christmas_and_new_year_in_each_nation(nation, due):
    period = Period(20, "working_days", "after")
    assert period.due_date(date(2026, 12, 18), WorkingCalendar(nation)) == due


@pytest.mark.parametrize("nation", NATIONS)
def test_a_trigger_on_a_weekend_or_holiday_starts_counting_on_the_next_working_day(nation):
    cal = WorkingCalendar(nation)
    after, beginning = Period(1, "working_days", "after"), Period(1, "working_days",
                                                                  "beginning_with")
    saturday = date(2027, 1, 9)
    assert after.due_date(saturday, cal) == beginning.due_date(saturday, cal) == date(2027, 1, 11)
    # Monday 11 January is a working day everywhere: "beginning with" counts it, "after" not.
    assert beginning.due_date(date(2027, 1, 11), cal) == date(2027, 1, 11)
    assert after.due_date(date(2027, 1, 11), cal) == date(2027, 1, 12)


@pytest.mark.parametrize(("nation", "due"), [
    # 17 March (St Patrick's Day) is a bank holiday in Northern Ireland only.
    ("northern-ireland", date(2027, 3, 18)), ("england", date(2027, 3, 17)),
])
def test_a_holiday_of_one_nation_only(nation, due):
    assert Period(1, "working_days", "after").due_date(date(2027, 3, 16),
                                                       WorkingCalendar(nation)) == due


@pytest.mark.parametrize(("start", "length", "unit", "counting", "due"), [
    (date(2026, 8, 31), 6, "months", "after", date(2027, 2, 28)),            # no 31 February
    (date(2026, 8, 31), 6, "months", "beginning_with", date(2027, 2, 28)),
    (date(2028, 2, 29), 5, "years", "beginning_with", date(2033, 2, 28)),    # s87(3) from 29 Feb
    (date(2028, 2, 29), 1, "years", "after", date(2029, 2, 28)),
    (date(2027, 2, 28), 1, "years", "beginning_with", date(2028, 2, 27)),
    (date(2026, 11, 2), 8, "weeks", "after", date(2026, 12, 28)),            # reg 7
    (date(2026, 11, 2), 8, "weeks", "beginning_with", date(2026, 12, 27)),
])
def test_calendar_periods_at_month_ends_and_29_february(start, length, unit, counting, due):
    for nation in NATIONS:
        assert Period(length, unit, counting).due_date(start, WorkingCalendar(nation)) == due


class TestTheAuthoritysOwnCalendar:
    # holidays 0.109 lists a one-off Scottish bank holiday on Monday 15 June 2026.
    ONE_OFF = date(2026, 6, 15)

    def test_a_listed_holiday_the_council_does_not_observe_is_a_working_day(self):
        removed = configured_days([{"date": "2026-06-15", "name": "World Cup holiday",
                                    "source": "Minute 7, 12 March 2026"}], "HOLIDAYS_NOT_OBSERVED")
        observing, not_observing = SCOTLAND, WorkingCalendar("scotland", not_observed=removed)
        assert not observing.is_working_day(self.ONE_OFF)
        assert not_observing.is_working_day(self.ONE_OFF)
        period = Period(5, "working_days", "after")
        assert period.due_date(date(2026, 6, 12), observing) == date(2026, 6, 22)
        assert period.due_date(date(2026, 6, 12), not_observing) == date(2026, 6, 19)
        assert [h.day for h in not_observing.holidays_in(2026)].count(self.ONE_OFF) == 0
        assert not_observing.not_observed_in(2026) == list(removed)
        assert observing.working_days_in(2026) + 1 == not_observing.working_days_in(2026)

    def test_each_day_off_says_where_it_comes_from(self):
        local = configured_days(["2026-01-05", {"date": "2026-09-14", "name": "Fair Monday",
                                                "source": "Council calendar 2026"}],
                                "LOCAL_HOLIDAYS")
        days = {h.day: h for h in WorkingCalendar("scotland", local).holidays_in(2026)}
        assert (days[date(2026, 1, 5)].name, days[date(2026, 1, 5)].source) == (
            "Local holiday", "the LOCAL_HOLIDAYS setting")
        assert days[date(2026, 9, 14)].source == "Council calendar 2026"
        assert days[date(2026, 11, 30)].name == "Saint Andrew's Day"
        assert "holidays package" in days[date(2026, 11, 30)].source

    @pytest.mark.parametrize("bad", ["2026-13-01", {"name": "no date"}, "5 January 2026"])
    def test_a_bad_entry_is_named(self, bad):
        with pytest.raises(ValueError, match="LOCAL_HOLIDAYS"):
            configured_days([bad], "LOCAL_HOLIDAYS")
