"""The council's reports on its casework: how long cases stay at each stage, and how many of
its deadlines it met, by route and by reporting year (1 April to 31 March).

- Time at a stage: from the event that moved a case into the stage to the event that moved it
  out, in **calendar days** between their UK dates (a stage entered and left the same day is 0
  days). Only stays that ended count, in the year they ended; a case's time before its first
  recorded change (its draft) is not a stay.
- Deadlines: the council's own (the workflow's ``whose: council``, not windows, which are
  rights that simply run out), the row in force (an extension replaces a row, and a row closed
  because the case ended without it is neither met nor missed), counted in the year its outcome
  came: met on time (met on a UK date no later than its due date) or late, in the year it was
  met; missed (still not met after its due date), in the year it fell due; still to come, in
  the current year.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import mean, median

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Application, Deadline, Event
from ..workflow import workflows
from ..workflow.calendar import uk_today
from .report_periods import ReportingYear, uk_date, year_of
from .report_tables import Table, days

DEADLINE_COLUMNS = ("Met on time", "Met late", "Missed", "Still to come")
YEARS_SHOWN = 5


@dataclass(frozen=True)
class RouteReport:
    workflow: str
    title: str
    stages: Table  # stage, stays ended, median days, mean days
    deadlines: Table  # deadline, then DEADLINE_COLUMNS
    deadline_years: Table  # reporting year, then DEADLINE_COLUMNS


def _stays(year: ReportingYear) -> dict[tuple[str, str], list[int]]:
    """{(workflow, state): [calendar days of each stay that ended in ``year``]}."""
    start, end = year.utc_bounds()
    moved = (select(Event.application_id)
             .where(Event.to_state.is_not(None), Event.at >= start, Event.at < end))
    rows = db.session.execute(
        select(Event.application_id, Event.to_state, Event.at, Application.workflow)
        .join(Application, Application.id == Event.application_id)
        .where(Event.to_state.is_not(None), Event.at < end, Event.application_id.in_(moved))
        .order_by(Event.application_id, Event.seq))
    stays = defaultdict(list)
    case, stage, since = None, None, None
    for application_id, to_state, at, workflow in rows:
        if application_id != case:
            case, stage, since = application_id, to_state, uk_date(at)
            continue
        if to_state == stage:  # an action that keeps the stage (a second bidder's request)
            continue
        left = uk_date(at)
        if left in year:
            stays[workflow, stage].append((left - since).days)
        stage, since = to_state, left
    return stays


def _deadline_counts(first: ReportingYear, today: date):
    """{(workflow, deadline name, reporting year): [on time, late, missed, to come]}, for the
    years from ``first``."""
    registry = workflows()
    counts = defaultdict(lambda: [0, 0, 0, 0])
    rows = db.session.execute(
        select(Deadline.name, Deadline.due_on, Deadline.met_at, Application.workflow)
        .join(Application, Application.id == Deadline.application_id)
        .where(Deadline.superseded_at.is_(None),
               or_(Deadline.met_at >= first.utc_bounds()[0],
                   Deadline.met_at.is_(None) & (Deadline.due_on >= first.first_day))))
    for name, due_on, met_at, workflow_key in rows:
        workflow = registry.get(workflow_key)
        rule = workflow.deadlines.get(name) if workflow else None
        if rule is None or rule.window or rule.whose != "council":
            continue
        if met_at is not None:
            met_on = uk_date(met_at)
            column, when = (0 if met_on <= due_on else 1), met_on
        elif due_on < today:
            column, when = 2, due_on
        else:
            column, when = 3, today
        counts[workflow_key, name, year_of(when).start_year][column] += 1
    return counts


def council_reports(year: ReportingYear, today: date | None = None) -> list[RouteReport]:
    """For each route with anything to show: time at each stage and deadlines met in ``year``,
    and the deadlines of the years up to it."""
    today = today or uk_today()
    stays = _stays(year)
    first = ReportingYear(year.start_year - YEARS_SHOWN + 1)
    counts = _deadline_counts(first, today)
    reports = []
    for workflow in workflows():
        stage_rows = tuple(
            (state.label, len(lengths), days(median(lengths)), days(mean(lengths)))
            for state in workflow.states.values()
            if (lengths := stays.get((workflow.key, state.name))))
        deadline_rows = tuple(
            (rule.label, *counts[workflow.key, rule.name, year.start_year])
            for rule in workflow.deadlines.values()
            if (workflow.key, rule.name, year.start_year) in counts)
        by_year = tuple(
            (ReportingYear(y).label,
             *(sum(c[i] for (w, _, cy), c in counts.items() if w == workflow.key and cy == y)
               for i in range(len(DEADLINE_COLUMNS))))
            for y in range(first.start_year, year.start_year + 1))
        if not any(any(row[1:]) for row in by_year):
            by_year = ()
        if not stage_rows and not deadline_rows and not by_year:
            continue
        reports.append(RouteReport(
            workflow.key, workflow.title,
            Table("stages", f"{workflow.title}: time at each stage (calendar days)",
                  ("Stage", "Stays ended", "Median days", "Mean days"), stage_rows,
                  unit="days"),
            Table("deadlines", f"{workflow.title}: the council's deadlines, {year.label}",
                  ("Deadline", *DEADLINE_COLUMNS), deadline_rows, unit="deadlines"),
            Table("deadline_years", f"{workflow.title}: the council's deadlines by year",
                  ("Reporting year", *DEADLINE_COLUMNS), by_year, unit="deadlines"),
        ))
    return reports
