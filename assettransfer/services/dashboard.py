"""The council dashboard in a fixed three statements, however many applications exist.

The stage counts are read from the tallies kept as applications move; one statement counts the
work queue, the overdue and the due-soon applications; one reads the rows of all three lists (each
list's ids picked from an index first), with only the columns the tables show. An unfiltered work
queue is a set of whole stages, so its total is added up from the tallies instead of counted: at
100,000 applications that count was most of the page's SQL time.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Row, String, func, literal, select, union_all

from ..extensions import db
from ..models import Application, Asset, Organisation
from ..workflow.calendar import uk_today
from . import tallies
from .errors import NotAllowed, ValidationFailed
from .queues import SOONEST_FIRST, awaiting_stages, matching_ids, overdue_on, page_of, unfiltered
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
    overdue_ids = select(Application.id).where(overdue_on(today))
    due_ids = select(Application.id).where(due_soon(today, due_within_days))
    lists = {"overdue": page_of(overdue_ids, 1, list_size),
             "due_soon": page_of(due_ids, 1, list_size)}
    error, queue_ids = None, None
    try:
        queue_ids = matching_ids(user, awaiting_role=awaiting_role, today=today, **filters)
    except ValidationFailed as exc:
        error = exc
    else:
        lists["queue"] = page_of(queue_ids, page, per_page)
    stages = tallies.counts()
    tallied = queue_ids is not None and unfiltered(filters)
    queue_total, overdue_total, due_total = _totals(
        None if tallied else queue_ids, overdue_ids, due_ids)
    if tallied:
        queue_total = _tallied(stages, awaiting_role)
    rows = _rows(lists)
    return Board(
        queue=Page(rows.get("queue", []), queue_total, page, per_page),
        overdue=Page(rows["overdue"], overdue_total, 1, list_size),
        due_soon=Page(rows["due_soon"], due_total, 1, list_size),
        stages=stages,
        filter_error=error,
    )


def _tallied(stages: dict[str, dict[str, int]], awaiting_role: str | None) -> int:
    """How many applications the unfiltered queue holds: every one, or those at the stages
    where it is ``awaiting_role``'s move."""
    if awaiting_role is None:
        return sum(number for counts in stages.values() for number in counts.values())
    return sum(stages.get(workflow, {}).get(state, 0)
               for workflow, states in awaiting_stages(awaiting_role).items() for state in states)


def _totals(*queries) -> tuple[int, ...]:
    """How many ids each query finds (0 for None), in one statement."""
    return tuple(db.session.execute(select(*(
        select(func.count()).select_from(ids.subquery()).scalar_subquery() if ids is not None
        else literal(0)
        for ids in queries
    ))).one())


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
