"""Lists of applications: a group's own and the council's queue, filtered and paged.

Each page is one query with its asset and organisation loaded alongside, however many rows exist.
"""
from datetime import date, timedelta

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Application, Asset, AssetType, Membership
from ..workflow import workflows
from ..workflow.calendar import uk_today
from .errors import FieldError, ValidationFailed
from .records import Page, page_bounds

MAX_DAYS_AHEAD = 36500
SOONEST_FIRST = (Application.next_due_on.asc().nulls_last(), Application.id)


def awaiting_stages(role: str) -> dict[str, list[str]]:
    """{workflow: [the states where it is this role's move]}, for workflows that have any."""
    stages = {}
    for workflow in workflows():
        states = [s.name for s in workflow.states.values() if s.whose_move == role]
        if states:
            stages[workflow.key] = states
    return stages


def _awaiting(role: str):
    """Applications at a stage where it is this role's move."""
    clauses = [and_(Application.workflow == workflow, Application.state.in_(states))
               for workflow, states in awaiting_stages(role).items()]
    return or_(*clauses) if clauses else false()


def unfiltered(filters: dict) -> bool:
    """Whether these ``matching_ids`` filters leave every application in (0 days is a filter)."""
    return all(value is None or value is False or value == "" for value in filters.values())


def overdue_on(today: date):
    """Applications whose next deadline has passed. Reaching a final state closes every deadline
    that no action there can meet (``deadlines.apply_action``)."""
    return Application.next_due_on < today


def matching_ids(user, *, workflow=None, state=None, asset_type=None, overdue=False,
                 not_overdue=False, due_within_days=None, awaiting_role=None,
                 today: date | None = None) -> Select:
    """The ids of the applications this user may see that pass these filters, as a query to
    count, sort and page; bad filters are ValidationFailed."""
    today = today or uk_today()
    errors, where = [], []
    if not user.is_council:
        where.append(Application.organisation_id.in_(
            select(Membership.organisation_id).where(Membership.user_id == user.id)))
    if workflow:
        if workflows().get(workflow) is None:
            errors.append(FieldError("workflow", f"Unknown workflow '{workflow}'"))
        where.append(Application.workflow == workflow)
    if state:
        where.append(Application.state == state)
    if asset_type and asset_type not in {t.value for t in AssetType}:
        errors.append(FieldError("asset_type", "Choose a type of asset from the list"))
    if overdue:
        where.append(overdue_on(today))
    if not_overdue:
        where.append(Application.next_due_on >= today)
    if due_within_days not in (None, ""):
        try:
            days = int(due_within_days)
            if not 0 <= days <= MAX_DAYS_AHEAD:
                raise ValueError
            where.append(Application.next_due_on <= today + timedelta(days=days))
        except (TypeError, ValueError):
            errors.append(FieldError(
                "due_within_days", f"Must be a whole number of days from 0 to {MAX_DAYS_AHEAD:,}"))
    if awaiting_role:
        where.append(_awaiting(awaiting_role))
    if errors:
        raise ValidationFailed("The filters need correcting", errors)
    ids = select(Application.id).where(*where)
    if asset_type:
        # Only this filter needs the asset: the others read the applications' own index.
        ids = ids.join(Application.asset).where(Asset.asset_type == asset_type)
    return ids


def page_of(ids: Select, page: int, per_page: int) -> Select:
    """One page of ``ids``, soonest deadline first. Chosen from the index alone, so that only
    the page's rows are then read whole rather than every matching row sorted to keep a few."""
    return ids.order_by(*SOONEST_FIRST).offset((page - 1) * per_page).limit(per_page)


def count(ids: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(ids.subquery()))


def list_applications(user, *, page=1, per_page=20, **filters) -> Page:
    """Applications this user may see, soonest deadline first, with their asset and organisation
    (filters as :func:`matching_ids`)."""
    page, per_page = page_bounds(page, per_page)
    ids = matching_ids(user, **filters)
    rows = db.session.scalars(
        select(Application).join(Application.asset).join(Application.organisation)
        .options(contains_eager(Application.asset), contains_eager(Application.organisation))
        .where(Application.id.in_(page_of(ids, page, per_page).scalar_subquery()))
        .order_by(*SOONEST_FIRST)
    ).unique().all()
    return Page(list(rows), count(ids), page, per_page)
