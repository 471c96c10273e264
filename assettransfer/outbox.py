"""The outbox: work an action leaves to be done after it commits (see docs/architecture.md, Jobs).

An action adds a ``Job`` row in its own transaction with ``add_job``; a rolled-back action leaves
none. When the transaction commits, the ids of the jobs it added go to the app's dispatcher
(``set_dispatcher``: in-process, or a queue on Redis), never before, so no worker can be handed a
row it cannot see yet.

Payloads are JSON. ``freeze`` and ``thaw`` carry dates and amounts of money through it unchanged,
so work done from a payload sees the values the action saw.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal

from flask import Flask, current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .extensions import db
from .models import Job

_EXTENSION_KEY = "assettransfer.outbox.dispatch"
_ADDED = "assettransfer.outbox.added"  # in Session.info: (app, job id) to dispatch after commit
Dispatcher = Callable[[list[int]], None]


class NotReady(Exception):
    """The job must wait for other work (a pack for the letters it binds): try it again soon,
    without counting this as a failed attempt."""


def set_dispatcher(app: Flask, dispatch: Dispatcher) -> None:
    app.extensions[_EXTENSION_KEY] = dispatch


def add_job(kind: str, *, key: str, label: str, payload: dict,
            application_id: int | None = None) -> Job:
    """The job of ``key``, added to this transaction unless one was already recorded (running a
    job's producer twice must not do its work twice)."""
    job = db.session.scalar(select(Job).where(Job.key == key))
    if job is None:
        job = Job(kind=kind, key=key, label=label, payload=payload, application_id=application_id)
        db.session.add(job)
        db.session.flush()
        dispatch_after_commit(job)
    return job


def dispatch_after_commit(job: Job) -> None:
    """Hand ``job`` (flushed) to the dispatcher once this transaction commits."""
    added = db.session.info.setdefault(_ADDED, [])
    added.append((current_app._get_current_object(), job.id))


@event.listens_for(Session, "after_commit")
def _dispatch_added_jobs(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a released savepoint can still be rolled back with its parent
    added = session.info.pop(_ADDED, None)
    if not added:
        return
    by_app: dict[Flask, list[int]] = {}
    for app, job_id in added:
        by_app.setdefault(app, []).append(job_id)
    for app, ids in by_app.items():
        dispatch = app.extensions.get(_EXTENSION_KEY)
        if dispatch is not None:
            dispatch(ids)


@event.listens_for(Session, "after_soft_rollback")
def _forget_undone_jobs(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_ADDED, None)


# Tags for the values JSON has no type for. A dict with one of these as its only key is one.
_DATE, _DATETIME, _DECIMAL = "$date", "$datetime", "$decimal"


def freeze(value):
    """``value`` as JSON-safe data that ``thaw`` turns back into the same value."""
    if isinstance(value, dict):
        return {str(k): freeze(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [freeze(v) for v in value]
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    return value


def thaw(value):
    if isinstance(value, list):
        return [thaw(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (tag, text), = value.items()
        if tag == _DATETIME:
            return datetime.fromisoformat(text)
        if tag == _DATE:
            return date.fromisoformat(text)
        if tag == _DECIMAL:
            return Decimal(text)
    return {k: thaw(v) for k, v in value.items()}


def open_jobs(application_id: int, kinds: Iterable[str]) -> list[Job]:
    """The application's jobs of ``kinds`` not yet done, oldest first."""
    return list(db.session.scalars(
        select(Job).where(Job.application_id == application_id, Job.kind.in_(list(kinds)),
                          Job.finished_at.is_(None)).order_by(Job.id)))
