"""How many applications are at each stage, kept up to date as they change.

Every insert, change of state and delete of an application through the ORM moves the tallies in
the same transaction (mapper events, so no code path can forget them). Loads that bypass the ORM
(bulk SQL, restores) are followed by ``recount``: the ``flask tallies recount`` command.
"""
from collections import Counter

from sqlalchemy import delete, event, func, inspect, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Application, StageTally

_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def counts() -> dict[str, dict[str, int]]:
    """{workflow: {state: applications}} for the stages that have any."""
    found: dict[str, dict[str, int]] = {}
    for workflow, state, number in db.session.execute(
        select(StageTally.workflow, StageTally.state, StageTally.applications)
        .where(StageTally.applications != 0)
    ):
        found.setdefault(workflow, {})[state] = number
    return found


def recount() -> list[tuple[str, str, int, int]]:
    """Rebuild the tallies from the applications; (workflow, state, was, is) for each that was
    wrong."""
    actual = {(w, s): n for w, s, n in db.session.execute(
        select(Application.workflow, Application.state, func.count())
        .group_by(Application.workflow, Application.state))}
    kept = {(t.workflow, t.state): t.applications for t in db.session.scalars(select(StageTally))}
    wrong = [(w, s, kept.get((w, s), 0), actual.get((w, s), 0))
             for w, s in sorted(actual.keys() | kept.keys())
             if kept.get((w, s), 0) != actual.get((w, s), 0)]
    db.session.execute(delete(StageTally))
    db.session.add_all(StageTally(workflow=w, state=s, applications=n)
                       for (w, s), n in actual.items())
    db.session.flush()
    return wrong


def _move(connection, changes: Counter) -> None:
    # In key order, so that two transactions moving cases between the same two stages in
    # opposite directions lock the rows in the same order and cannot deadlock.
    upsert = _UPSERTS[connection.dialect.name]
    table = StageTally.__table__
    for (workflow, state), delta in sorted(changes.items()):
        if delta:
            statement = upsert(table).values(workflow=workflow, state=state, applications=delta)
            connection.execute(statement.on_conflict_do_update(
                index_elements=[table.c.workflow, table.c.state],
                set_={"applications": table.c.applications + statement.excluded.applications},
            ))


def _inserted(mapper, connection, application) -> None:
    _move(connection, Counter({(application.workflow, application.state): 1}))


def _updated(mapper, connection, application) -> None:
    state = inspect(application)
    workflow, stage = state.attrs.workflow.history, state.attrs.state.history
    if not (workflow.has_changes() or stage.has_changes()):
        return
    changes = Counter()  # the columns keep active history, so the old values are there
    changes[(workflow.deleted or workflow.unchanged)[0], (stage.deleted or stage.unchanged)[0]] -= 1
    changes[application.workflow, application.state] += 1
    _move(connection, changes)


def _deleted(mapper, connection, application) -> None:
    _move(connection, Counter({(application.workflow, application.state): -1}))


def keep() -> None:
    """Listen for changes to applications (once per process)."""
    for name, listener in (("after_insert", _inserted), ("after_update", _updated),
                           ("after_delete", _deleted)):
        if not event.contains(Application, name, listener):
            event.listen(Application, name, listener)
