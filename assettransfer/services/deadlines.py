"""Deadlines on applications: started and met by actions, extended by agreement, swept when
missed."""
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Application, Deadline, Event
from ..wording import long_date
from ..workflow.context import ActionContext


def _open_rows(application: Application, name: str | None = None) -> list[Deadline]:
    query = select(Deadline).where(
        Deadline.application_id == application.id,
        Deadline.met_at.is_(None),
        Deadline.superseded_at.is_(None),
    )
    if name:
        query = query.where(Deadline.name == name)
    return list(db.session.scalars(query))


def apply_action(ctx: ActionContext, event: Event) -> None:
    """Meet, start and close the deadlines the action touches, as the workflow declares."""
    workflow, application, cal = ctx.workflow, ctx.application, ctx.workflow.calendar
    for rule in workflow.deadlines.values():
        if ctx.action.name in rule.met_by:
            for row in _open_rows(application, rule.name):
                row.met_at = ctx.now
    for rule in workflow.deadlines.values():
        if ctx.action.name not in rule.started_by:
            continue
        start_field = rule.started_by[ctx.action.name]
        start = ctx.data[start_field] if start_field else ctx.today
        for row in _open_rows(application, rule.name):
            row.superseded_at = ctx.now
        db.session.add(Deadline(
            application_id=application.id, name=rule.name, starts_on=start,
            due_on=rule.due_date(start, ctx.data, cal),
            rule=f"{rule.describe(start, cal)} ({rule.citation})",
            event_id=event.id,
            # A period counted back from a date the action gives (a claim made within 13 weeks
            # after the loss it names): the action that starts it has met it.
            met_at=ctx.now if ctx.action.name in rule.met_by else None,
        ))
    if workflow.states[application.state].final:
        for row in _open_rows(application):
            if not _answerable_in(workflow, application.state, row.name):
                row.superseded_at = ctx.now
    db.session.flush()
    refresh_next_due(application, workflow, ctx.today)


def _answerable_in(workflow, state: str, name: str) -> bool:
    """Whether an action that may be taken in ``state`` meets the deadline or is taken when it
    is missed: the process has ended, but a claim the law allows after it still runs. (What the
    sweep takes when a window ends unused only records it: that answers nothing.)"""
    rule = workflow.deadlines.get(name)
    if rule is None:
        return False
    taken_there = {action.name for action in workflow.actions_from(state)}
    when_missed = set() if rule.window else {rule.on_missed}
    return bool(taken_there & {*rule.met_by, *when_missed})


def extend(ctx: ActionContext, event: Event, name: str, field: str,
           by: str = "agreement") -> None:
    """Replace an open deadline with the later date given ``by`` agreement of the parties (or by
    whoever else may set it), keeping the old row."""
    new_due = ctx.data[field]
    for row in _open_rows(ctx.application, name):
        row.superseded_at = ctx.now
        db.session.add(Deadline(
            application_id=ctx.application.id, name=name, starts_on=row.starts_on, due_on=new_due,
            rule=f"extended by {by} to {long_date(new_due)}, was {long_date(row.due_on)} "
                 f"({ctx.workflow.deadlines[name].citation})",
            event_id=event.id,
        ))
    db.session.flush()
    refresh_next_due(ctx.application, ctx.workflow, ctx.today)


def refresh_next_due(application: Application, workflow, today: date) -> None:
    """The case's next due date: the soonest of its open deadlines, leaving out windows (a right
    to act that simply runs out) whose last day has passed: nobody is late once one ends unused.
    The row stays open, so a late request is still refused with the day the window ended and the
    council may still allow longer where the law lets it. The sweep comes back here the day after
    a window ends, through the window's ``on_missed`` action."""
    def still_due(row: Deadline) -> bool:
        rule = workflow.deadlines.get(row.name)
        return not (rule is not None and rule.window and row.due_on < today)

    application.next_due_on = min(
        (row.due_on for row in _open_rows(application) if still_due(row)), default=None)


def current_deadlines(application: Application) -> list[Deadline]:
    """The latest row of each deadline the application has had, soonest first."""
    rows = db.session.scalars(
        select(Deadline).where(Deadline.application_id == application.id).order_by(Deadline.id)
    )
    latest = {}
    for row in rows:
        if row.superseded_at is None or row.name not in latest:
            latest[row.name] = row
    return sorted(latest.values(), key=lambda r: r.due_on)


def missed_system_actions(registry, today: date) -> list[tuple[int, str, date]]:
    """(application id, system action, the day the period expired: its last day) for every
    sweep action due."""
    rows = db.session.execute(
        select(Deadline.name, Deadline.due_on, Application.id, Application.workflow,
               Application.state)
        .join(Application, Application.id == Deadline.application_id)
        .where(Deadline.met_at.is_(None), Deadline.superseded_at.is_(None), Deadline.due_on < today)
        .order_by(Deadline.due_on, Application.id)
    )
    due = []
    for name, due_on, application_id, workflow_key, state in rows:
        workflow = registry.get(workflow_key)
        rule = workflow and workflow.deadlines.get(name)
        if rule and rule.on_missed and state in workflow.actions[rule.on_missed].sources:
            taking = (application_id, rule.on_missed, due_on)
            # A record-only action is taken once a period: two windows ending the same day
            # need one record, and a later sweep none.
            if taking in due or _recorded_already(workflow.actions[rule.on_missed],
                                                  application_id, due_on):
                continue
            # The period expired on its last day, due_on: SSI 2016/358 and 2016/359 reg 3(2)(b)
            # count the review and appeal window beginning with that "date of expiry".
            due.append(taking)
    return due


def _recorded_already(action, application_id: int, expired_on: date) -> bool:
    """Whether ``action``, one that records a missed period and leaves the state as it is (the
    contract period ended, a window ended unused), has been taken for the period that expired on
    ``expired_on``: it is taken once for each period, not on every sweep after it."""
    if action.dest is not None:
        return False
    payloads = db.session.scalars(select(Event.payload).where(
        Event.application_id == application_id, Event.action == action.name))
    return any(payload.get("expired_on") == expired_on.isoformat() for payload in payloads)
