"""Cases for the report tests: application rows with audit events and deadlines written
directly, at the instants a test names (faster than walking each case through its actions)."""
import uuid
from datetime import UTC, date, datetime

from assettransfer.extensions import db
from assettransfer.models import Deadline, Event
from tests import factories


def utc(text: str) -> datetime:
    """An instant written in UTC, e.g. "2025-03-31 23:30"."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def case(workflow="scotland-atr", state="submitted", request_type=None, **kw):
    answers = {"land": {"request_type": request_type}} if request_type else {}
    return factories.ApplicationFactory(workflow=workflow, state=state, answers=answers, **kw)


def event(application, action, at, *, from_state=None, to_state=None, role="officer",
          **payload) -> Event:
    seq = 1 + max((e.seq for e in db.session.query(Event).filter_by(
        application_id=application.id)), default=0)
    row = Event(application_id=application.id, seq=seq, actor_name="Officer", actor_role=role,
                action=action, from_state=from_state, to_state=to_state, at=utc(at),
                payload=payload, prev_hash="0" * 64, hash=uuid.uuid4().hex * 2)
    db.session.add(row)
    db.session.flush()
    return row


def deadline(application, name, starts_on, due_on, *, met_at=None, superseded_at=None):
    row = Deadline(application_id=application.id, name=name,
                   starts_on=date.fromisoformat(starts_on), due_on=date.fromisoformat(due_on),
                   rule="test",
                   met_at=utc(met_at) if met_at else None,
                   superseded_at=utc(superseded_at) if superseded_at else None)
    db.session.add(row)
    db.session.flush()
    return row
