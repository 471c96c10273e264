"""The tamper-evident audit trail: a keyed hash chain of events per application (see
``audit_chain``), whose last event says what state the application is in.

``verify`` checks every chain, its head, every application's state against its trail, and the
account trail (``account_audit``); ``rekey`` signs every chain again with the current key.
"""
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import select

from ..extensions import db
from ..models import AccountEvent, Application, AuditHead, Event
from ..models.types import utcnow
from ..workflow import workflows
from ..workflow.context import role_of
from . import account_audit
from .audit_chain import (
    ACCOUNTS,
    GENESIS,
    ChainCheck,
    application_chain,
    current_key_id,
    keyed_hash,
    locked_head,
    set_head,
)


def event_content(event: Event) -> dict:
    return {
        "application_id": event.application_id,
        "seq": event.seq,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "comment": event.comment,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }


def record_event(application: Application, actor, action: str, *, from_state=None, to_state=None,
                 comment: str = "", payload: dict | None = None) -> Event:
    """Append an event to the application's chain and move its head. The caller holds the
    application's version lock."""
    chain = application_chain(application.id)
    head = locked_head(chain)
    last = db.session.execute(
        select(Event.seq, Event.hash).where(Event.application_id == application.id)
        .order_by(Event.seq.desc()).limit(1)
    ).first()
    event = Event(
        application_id=application.id,
        seq=(last.seq + 1) if last else 1,
        actor_id=actor.id,
        actor_name=actor.name,
        actor_role=role_of(actor),
        action=action,
        from_state=from_state,
        to_state=to_state,
        at=utcnow(),
        comment=comment or "",
        payload=payload or {},
        prev_hash=last.hash if last else GENESIS,
        key_id=current_key_id(),
    )
    event.hash = keyed_hash(event.key_id, event_content(event))
    db.session.add(event)
    set_head(head, chain, event.seq, event.hash)
    # Touch the application so that its version moves: concurrent writers then conflict.
    application.updated_at = event.at
    db.session.flush()
    return event


@dataclass
class AuditReport:
    events: int = 0  # application events whose chains verified
    account_events: int = 0
    applications: int = 0
    problems: list[str] = field(default_factory=list)


def _events(batch_size: int) -> Iterator[list[Event]]:
    """Every application's events, one application at a time, in order, streamed in batches."""
    query = (select(Event).order_by(Event.application_id, Event.seq)
             .execution_options(yield_per=batch_size))
    # Closed on every way out, or PostgreSQL's server cursor lingers.
    with db.session.scalars(query) as events:
        run: list[Event] = []
        for event in events:
            if run and run[0].application_id != event.application_id:
                yield run
                run = []
            run.append(event)
        if run:
            yield run


def _state_led_to(application, events: list[Event]) -> str | None:
    """The state the trail leads to: the last state an event moved to, else the workflow's
    first (None when the workflow is not offered here)."""
    moved_to = [e.to_state for e in events if e.to_state is not None]
    if moved_to:
        return moved_to[-1]
    workflow = workflows().get(application.workflow)
    return workflow.initial_state if workflow else None


def verify(batch_size: int = 500) -> AuditReport:
    """Check every application's chain, its head and its state, and the account trail; list
    each application (and the account trail) with the first thing wrong with it."""
    report = AuditReport()
    applications = {a.id: a for a in db.session.execute(
        select(Application.id, Application.reference, Application.workflow, Application.state))}
    heads = {h.chain: h for h in db.session.scalars(select(AuditHead))}
    report.applications = len(applications)

    def check(application, events: list[Event]) -> None:
        chain = ChainCheck()
        for event in events:
            chain.add(event.seq, event.prev_hash, event.hash, event.key_id, event_content(event))
        broken = chain.end(heads.pop(application_chain(application.id), None),
                           head_required=True)
        if broken:
            report.problems.append(f"{application.reference} {broken}")
            return
        report.events += len(events)
        expected = _state_led_to(application, events)
        if expected is not None and application.state != expected:
            report.problems.append(f"{application.reference} state: '{application.state}', but "
                                   f"its trail leads to '{expected}'")

    for events in _events(batch_size):
        application_id = events[0].application_id
        check(applications.pop(application_id), events)
    for application in applications.values():  # those without events
        check(application, [])
    account_problem, report.account_events = account_audit.verify(heads.pop(ACCOUNTS, None))
    if account_problem:
        report.problems.append(f"account trail {account_problem}")
    report.problems += [f"{chain}: its trail's head is recorded but the application is gone"
                        for chain in heads]
    return report


def rekey() -> tuple[int, list[str]]:
    """Sign every chain again with the current key (``AUDIT_KEY_ID``) and record its head:
    after the trail was first keyed, or to retire a key. Each chain is checked first, unkeyed
    events as they were made (plain SHA-256), and against its head if it has one; nothing is
    signed when any is broken.

    :returns: how many events were signed, and the problems that stopped it.
    """
    applications = db.session.execute(select(Application.id, Application.reference)).all()
    chains = [(application_chain(a.id), a.reference,
               select(Event).where(Event.application_id == a.id).order_by(Event.seq),
               event_content) for a in applications]
    chains.append((ACCOUNTS, "account trail", select(AccountEvent).order_by(AccountEvent.seq),
                   account_audit.content))
    heads = {h.chain: h for h in db.session.scalars(select(AuditHead))}
    problems = []
    for chain_name, name, query, content in chains:
        check = ChainCheck(accept_plain=True)
        for row in db.session.scalars(query):
            check.add(row.seq, row.prev_hash, row.hash, row.key_id, content(row))
        # A chain recorded before heads has none; one that has a head must still end there.
        if problem := check.end(heads.get(chain_name), head_required=False):
            problems.append(f"{name} {problem}")
    if problems:
        return 0, problems
    signed = 0
    for chain_name, _name, query, content in chains:
        last_hash, length = GENESIS, 0
        for row in db.session.scalars(query):
            row.prev_hash, row.key_id = last_hash, current_key_id()
            row.hash = last_hash = keyed_hash(row.key_id, content(row))
            length = row.seq
        if length or chain_name != ACCOUNTS:
            set_head(locked_head(chain_name), chain_name, length, last_hash)
        signed += length
        db.session.flush()
    return signed, []
