"""The tamper-evident audit trail: a SHA-256 hash chain of events per application."""
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select

from ..extensions import db
from ..models import Application, Event
from ..models.types import utcnow
from ..workflow.context import role_of

GENESIS = "0" * 64


def event_hash(event: Event) -> str:
    content = {
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
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record_event(application: Application, actor, action: str, *, from_state=None, to_state=None,
                 comment: str = "", payload: dict | None = None) -> Event:
    """Append an event to the application's chain. The caller holds the application's version
    lock."""
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
    )
    event.hash = event_hash(event)
    db.session.add(event)
    # Touch the application so that its version moves: concurrent writers then conflict.
    application.updated_at = event.at
    db.session.flush()
    return event


@dataclass(frozen=True)
class BrokenLink:
    reference: str
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"{self.reference} event {self.seq}: {self.problem}"


def verify_chain(batch_size: int = 500) -> tuple[int, BrokenLink | None]:
    """Walk every application's chain; return the events checked and the first broken link."""
    checked = 0
    references = dict(db.session.execute(select(Application.id, Application.reference)).all())
    prev: tuple[int, int, str] | None = None  # application id, seq, hash of the event before
    query = (select(Event).order_by(Event.application_id, Event.seq)
             .execution_options(yield_per=batch_size))
    # Streamed in batches; closed on every way out, or PostgreSQL's server cursor lingers.
    with db.session.scalars(query) as events:
        for event in events:
            same = prev is not None and prev[0] == event.application_id
            expected_seq = prev[1] + 1 if same else 1
            expected_prev = prev[2] if same else GENESIS
            reference = references.get(event.application_id, f"application {event.application_id}")
            if event.seq != expected_seq:
                return checked, BrokenLink(reference, event.seq,
                                           f"expected event {expected_seq} (one is missing)")
            if event.prev_hash != expected_prev:
                return checked, BrokenLink(reference, event.seq,
                                           "does not follow the event before it")
            if event_hash(event) != event.hash:
                return checked, BrokenLink(reference, event.seq,
                                           "its content was changed after it was recorded")
            prev = (event.application_id, event.seq, event.hash)
            checked += 1
    return checked, None
