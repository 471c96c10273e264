"""The working calendar deadlines are counted in: ``/council/calendar``, for council staff.

Each day off is listed with where the calendar has it from (the nation's bank holidays, the
council's own holidays), and so is every listed bank holiday the council does not observe.
"""

from flask import Blueprint, abort, render_template, request

from ...workflow import authority_calendar
from ...workflow.calendar import HOLIDAY_NAMES, SUBDIVISIONS, uk_today

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
FIRST_YEAR, YEARS_AHEAD = 2016, 5  # Part 5 and SI 2012/2421 periods run from 2012-2016 on


@bp.get("/")
def show():
    this_year = uk_today().year
    year = request.args.get("year", this_year, type=int)
    nation = request.args.get("nation") or None
    if not FIRST_YEAR <= year <= this_year + YEARS_AHEAD or (nation and nation not in SUBDIVISIONS):
        abort(404)
    cal = authority_calendar(nation)
    return render_template(
        "council/calendar.html", cal=cal, year=year, days=cal.holidays_in(year),
        not_observed=cal.not_observed_in(year), working_days=cal.working_days_in(year),
        nations=[(key, HOLIDAY_NAMES[key]) for key in SUBDIVISIONS],
        years=range(max(FIRST_YEAR, year - 1), min(this_year + YEARS_AHEAD, year + 1) + 1),
    )
