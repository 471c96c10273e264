"""The council dashboard in a fixed four statements, however many applications exist.

One grouped count gives every stage's number and the overdue and due-soon totals; one count gives
the work queue's total; one statement reads the rows of all three lists (each list's ids picked
from the index first), with only the columns the tables show.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Row, String, case, func, literal, select, union_all

from ..extensions import db
from ..models import Application, Asset, Organisation
from ..workflow.calendar import uk_today
from .errors import NotAllowed, ValidationFailed
from .queues import SOONEST_FIRST, count, matching_ids, overdue_on, page_of
from .records import Page, page_bounds


@dataclass(frozen=True)
class Board:
    """Each list's items are rows with ``id``, ``reference``, ``workflow``, ``state``,
    ``next_due_on``, ``asset_name`` and ``organisation_name``."""

    queue: Page
    overdue: Page
    due_soon: Page
    stages: dict[str, dict[str, int]]  # {workflow: {state: number of applications}}
    filter_error: ValidationFailed | None  # the queue's filters were wrong; its page is empty


def due_soon(today: date, days: int):
    """Applications due from today to ``days`` days ahead: not yet overdue."""
    return Application.next_due_on.between(today, today + timedelta(days=days))


def board(user, *, filters: dict, awaiting_role: str | None, page=1, per_page=20,
          list_size: int = 10, due_within_days: int = 7, today: date | None = None) -> Board:
    """The dashboard for council staff, who see every application. ``filters`` and
    ``awaiting_role`` choose the work queue, as for ``queues.matching_ids``."""
    if not user.is_council:
        raise NotAllowed("Only council staff have a dashboard")
    today = today or uk_today()
    page, per_page = page_bounds(page, per_page)
    late, soon = overdue_on(today), due_soon(today, due_within_days)
    lists = {
        "overdue": page_of(select(Application.id).where(late), 1, list_size),
        "due_soon": page_of(select(Application.id).where(soon), 1, list_size),
    }
    error, queue_total = None, 0
    try:
        queue_ids = matching_ids(user, awaiting_role=awaiting_role, today=today, **filters)
    except ValidationFailed as exc:
        error = exc
    else:
        lists["queue"] = page_of(queue_ids, page, per_page)
        queue_total = count(queue_ids)
    stages, overdue_total, due_total = _tally(late, soon)
    rows = _rows(lists)
    return Board(
        queue=Page(rows.get("queue", []), queue_total, page, per_page),
        overdue=Page(rows["overdue"], overdue_total, 1, list_size),
        due_soon=Page(rows["due_soon"], due_total, 1, list_size),
        stages=stages,
        filter_error=error,
    )


def _tally(late, soon) -> tuple[dict[str, dict[str, int]], int, int]:
    """Applications per workflow and stage, and how many are overdue and due soon."""
    stages: dict[str, dict[str, int]] = {}
    overdue = due = 0
    for key, state, number, stage_overdue, stage_due in db.session.execute(
        select(Application.workflow, Application.state, func.count(),
               func.sum(case((late, 1), else_=0)), func.sum(case((soon, 1), else_=0)))
        .group_by(Application.workflow, Application.state)
    ):
        stages.setdefault(key, {})[state] = number
        overdue += stage_overdue
        due += stage_due
    return stages, overdue, due


def _rows(lists: dict) -> dict[str, list[Row]]:
    """Each list's rows, soonest deadline first, in one statement."""
    chosen = union_all(*(
        select(ids.subquery().c.id, literal(name, String).label("list"))
        for name, ids in lists.items()
    )).subquery()
    found: dict[str, list[Row]] = {name: [] for name in lists}
    for row in db.session.execute(
        select(chosen.c.list, Application.id, Application.reference, Application.workflow,
               Application.state, Application.next_due_on, Asset.name.label("asset_name"),
               Organisation.name.label("organisation_name"))
        .join_from(chosen, Application, Application.id == chosen.c.id)
        .join(Application.asset).join(Application.organisation)
        .order_by(*SOONEST_FIRST)
    ):
        found[row.list].append(row)
    return found
