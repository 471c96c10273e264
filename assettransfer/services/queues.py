"""Lists of applications: a group's own, the council's queue, and the dashboard's counts.

Each page is one query with its asset and organisation loaded alongside, however many rows exist.
"""
from datetime import date, timedelta

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Application, Asset, AssetType, Membership
from ..workflow import workflows
from ..workflow.calendar import uk_today
from .errors import FieldError, ValidationFailed
from .records import Page, page_bounds

MAX_DAYS_AHEAD = 36500


def _states_awaiting(role: str) -> list[tuple[str, list[str]]]:
    return [(w.key, [s.name for s in w.states.values() if s.whose_move == role]) for w in workflows()]


def _open_states() -> list[tuple[str, list[str]]]:
    return [(w.key, [s.name for s in w.states.values() if not s.final]) for w in workflows()]


def _in_states(pairs) -> object:
    clauses = [and_(Application.workflow == key, Application.state.in_(states)) for key, states in pairs if states]
    return or_(*clauses) if clauses else false()


def list_applications(user, *, workflow=None, state=None, asset_type=None, overdue=False,
                      not_overdue=False, due_within_days=None, awaiting_role=None, page=1,
                      per_page=20, today: date | None = None) -> Page:
    """Applications this user may see, soonest deadline first; bad filters are ValidationFailed."""
    today = today or uk_today()
    page, per_page = page_bounds(page, per_page)
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
        where += [Application.next_due_on < today, _in_states(_open_states())]
    if not_overdue:
        where.append(Application.next_due_on >= today)
    if due_within_days not in (None, ""):
        try:
            days = int(due_within_days)
            if not 0 <= days <= MAX_DAYS_AHEAD:
                raise ValueError
            where.append(Application.next_due_on <= today + timedelta(days=days))
        except (TypeError, ValueError):
            errors.append(FieldError("due_within_days",
                                     f"Must be a whole number of days from 0 to {MAX_DAYS_AHEAD:,}"))
    if awaiting_role:
        where.append(_in_states(_states_awaiting(awaiting_role)))
    if errors:
        raise ValidationFailed("The filters need correcting", errors)
    # The count joins the asset only when filtering on it: no other filter needs it.
    count = select(func.count(Application.id)).where(*where)
    if asset_type:
        where.append(Asset.asset_type == asset_type)
        count = count.join(Application.asset).where(Asset.asset_type == asset_type)
    rows = db.session.scalars(
        select(Application).join(Application.asset).join(Application.organisation)
        .options(contains_eager(Application.asset), contains_eager(Application.organisation))
        .where(*where)
        .order_by(Application.next_due_on.is_(None), Application.next_due_on, Application.id)
        .offset((page - 1) * per_page).limit(per_page)
    ).unique().all()
    return Page(list(rows), db.session.scalar(count), page, per_page)


def counts_by_stage() -> dict[str, dict[str, int]]:
    """{workflow: {state: number of applications}} in one grouped query."""
    counts: dict[str, dict[str, int]] = {}
    for key, state, number in db.session.execute(
        select(Application.workflow, Application.state, func.count(Application.id))
        .group_by(Application.workflow, Application.state)
    ):
        counts.setdefault(key, {})[state] = number
    return counts


