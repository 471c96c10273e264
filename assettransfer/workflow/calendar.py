"""Working days per nation and the three ways statutes count a period.

A due date is the last day on which the thing may still be done.
"""
import calendar as _calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

import holidays

from ..wording import UK_TIME, long_date

# The holidays package's subdivisions; its bare UK set drops Easter Monday and the August holiday.
SUBDIVISIONS = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern-ireland": "NIR"}
HOLIDAY_NAMES = {
    "england": "bank holidays in England",
    "wales": "bank holidays in Wales",
    "scotland": "Scottish bank holidays",
    "northern-ireland": "Northern Ireland bank holidays",
}
UNITS = ("working_days", "days", "weeks", "months", "years")
COUNTINGS = ("beginning_with", "after")


def uk_today() -> date:
    """Today's date where the councils are: deadlines turn at UK midnight, not UTC's."""
    return datetime.now(UTC).astimezone(UK_TIME).date()


@dataclass(frozen=True)
class Holiday:
    """A day off in an authority's working calendar, and where the calendar has it from."""

    day: date
    name: str
    source: str


def configured_days(raw, setting: str) -> tuple[Holiday, ...]:
    """The days of a calendar setting: ISO dates, or ``{"date", "name", "source"}`` mappings.

    A plain date's source is the setting itself; a ``ValueError`` names the entry at fault.
    """
    days = []
    for entry in raw or ():
        given = entry if isinstance(entry, dict) else {"date": entry}
        try:
            day = date.fromisoformat(str(given["date"]))
        except (KeyError, ValueError):
            raise ValueError(f"{setting}: {entry!r} is not an ISO date (YYYY-MM-DD) or a "
                             f"mapping with one under 'date'") from None
        days.append(Holiday(day, str(given.get("name") or "Local holiday"),
                            str(given.get("source") or f"the {setting} setting")))
    return tuple(days)


class WorkingCalendar:
    """Weekdays that are not a day off: the nation's bank holidays (less any the authority does
    not observe, ``not_observed``) and the authority's own ``local_holidays``."""

    def __init__(self, nation: str, local_holidays: tuple[Holiday | date, ...] = (),
                 not_observed: tuple[Holiday | date, ...] = ()):
        if nation not in SUBDIVISIONS:
            raise ValueError(f"unknown nation {nation!r}")
        self.nation = nation
        self.local_holidays = _as_holidays(local_holidays, "Local holiday")
        self.not_observed = _as_holidays(not_observed, "Not observed")
        self._local = frozenset(h.day for h in self.local_holidays)
        self._removed = frozenset(h.day for h in self.not_observed)

    @cached_property
    def _bank_holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays("GB", subdiv=SUBDIVISIONS[self.nation])

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self._local:
            return False
        return day in self._removed or day not in self._bank_holidays

    @property
    def description(self) -> str:
        words = HOLIDAY_NAMES[self.nation]
        if self.local_holidays:
            words += " and the council's local holidays"
        return words

    def holidays_in(self, year: int) -> list[Holiday]:
        """The days off in ``year`` that fall on weekdays, in date order, each with its source."""
        source = f"holidays package {holidays.__version__}: {HOLIDAY_NAMES[self.nation]}"
        listed = [Holiday(day, name, source) for day, name in
                  holidays.country_holidays("GB", subdiv=SUBDIVISIONS[self.nation],
                                            years=year).items()
                  if day.weekday() < 5 and day not in self._removed]
        local = [h for h in self.local_holidays if h.day.year == year and h.day.weekday() < 5]
        return sorted(listed + local, key=lambda h: h.day)

    def not_observed_in(self, year: int) -> list[Holiday]:
        return sorted((h for h in self.not_observed if h.day.year == year), key=lambda h: h.day)

    def working_days_in(self, year: int) -> int:
        first, last = date(year, 1, 1), date(year, 12, 31)
        return sum(self.is_working_day(first + timedelta(days=n))
                   for n in range((last - first).days + 1))

    def nth_working_day(self, start: date, n: int, include_start: bool) -> date:
        """The n-th working day counting from ``start`` (as day one when ``include_start``)."""
        day = start if include_start else start + timedelta(days=1)
        count = 0
        while True:
            if self.is_working_day(day):
                count += 1
                if count == n:
                    return day
            day += timedelta(days=1)


def _as_holidays(days, name: str) -> tuple[Holiday, ...]:
    return tuple(d if isinstance(d, Holiday) else Holiday(d, name, "") for d in days)


def add_months(day: date, months: int) -> date:
    """The corresponding date ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def _corresponding_date(day: date, length: int, unit: str) -> tuple[date, bool]:
    """The date ``length`` units on, and whether the month was too short to hold it."""
    if unit == "days":
        return day + timedelta(days=length), False
    if unit == "weeks":
        return day + timedelta(weeks=length), False
    months = length * 12 if unit == "years" else length
    target = add_months(day, months)
    return target, target.day != day.day


@dataclass(frozen=True)
class Period:
    """A statutory or policy period: ``length`` ``unit`` counted ``beginning_with`` or ``after``
    a date."""

    length: int
    unit: str
    counting: str
    # A period whose last day is not a working day runs to the next working day: a tribunal's
    # rule for acts due on a day its office is shut (GRC rules 2009 r12(2)).
    next_working_day: bool = False

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        if self.counting not in COUNTINGS:
            raise ValueError(f"counting must be one of {', '.join(COUNTINGS)}, "
                             f"not {self.counting!r}")
        if self.length < 1:
            raise ValueError("length must be at least 1")

    def due_date(self, start: date, cal: WorkingCalendar) -> date:
        due = self._last_day(start, cal)
        while self.next_working_day and not cal.is_working_day(due):
            due += timedelta(days=1)
        return due

    def _last_day(self, start: date, cal: WorkingCalendar) -> date:
        if self.unit == "working_days":
            return cal.nth_working_day(start, self.length, self.counting == "beginning_with")
        target, clamped = _corresponding_date(start, self.length, self.unit)
        if self.counting == "after" or clamped:
            # "N months after D" ends on the corresponding date; a period beginning with D whose
            # corresponding date does not exist (31 August + 6 months) runs to the month's end.
            return target
        return target - timedelta(days=1)

    def describe(self, start: date, cal: WorkingCalendar) -> str:
        unit = self.unit.replace("_", " ")
        if self.length == 1:
            unit = unit.rstrip("s")
        words = f"{self.length} {unit} {self.counting.replace('_', ' ')} {long_date(start)}"
        if self.unit == "working_days":
            words += f", {cal.description} excluded"
        if self.next_working_day:
            words += (", or the next working day if that is a weekend or one of the "
                      f"{cal.description}")
        return words
