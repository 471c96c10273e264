"""The reporting year (1 April to 31 March) and the UK dates the reports count things on.

Events are stored in UTC; a report counts each on its date in the UK (Europe/London), so an
event at 23:30 UTC on 31 March in summer time (00:30 BST, 1 April) falls in the new year.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from ..wording import UK_TIME
from ..workflow.calendar import add_months, uk_today
from .errors import FieldError, ValidationFailed

FIRST_YEAR = 2000


@dataclass(frozen=True)
class ReportingYear:
    """The year beginning 1 April ``start_year``."""

    start_year: int

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:  # "2026-27"
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def publish_by(self) -> date:
        """s95(1): the report on a year is published by 30 June after it."""
        return date(self.start_year + 1, 6, 30)

    @property
    def months(self) -> list[date]:
        """The first day of each of its twelve months."""
        return [add_months(self.first_day, n) for n in range(12)]

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: UK midnight at the start of 1 April to that of the next."""
        def midnight(day: date) -> datetime:
            return datetime.combine(day, time(), tzinfo=UK_TIME).astimezone(UTC)
        return midnight(self.first_day), midnight(date(self.start_year + 1, 4, 1))

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def year_of(day: date) -> ReportingYear:
    return ReportingYear(day.year if day.month >= 4 else day.year - 1)


def current_year() -> ReportingYear:
    return year_of(uk_today())


def uk_date(moment: datetime) -> date:
    return moment.astimezone(UK_TIME).date()


def parse_year(raw, field: str = "year") -> ReportingYear:
    """A reporting year from its first calendar year as typed; a bad one is ValidationFailed."""
    latest = current_year().start_year
    try:
        year = int(raw)
        if not FIRST_YEAR <= year <= latest:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationFailed("Choose a reporting year", [FieldError(
            field, f"Enter the year the reporting year begins (1 April), from {FIRST_YEAR} to "
                   f"{latest}")]) from None
    return ReportingYear(year)
