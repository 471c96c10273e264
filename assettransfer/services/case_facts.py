"""What a case records: its form's answers, and what its audit trail says (the latest event of
some actions, the latest value given for a field). Guards and services read these facts where
they are kept instead of copying them onto the case."""
from sqlalchemy import select

from ..extensions import db
from ..models import Application, Event


def last_of(application: Application, actions) -> Event | None:
    """The latest event on ``application`` of one of ``actions``."""
    return db.session.scalar(
        select(Event).where(Event.application_id == application.id,
                            Event.action.in_(list(actions)))
        .order_by(Event.seq.desc()).limit(1)
    )


def recorded(application: Application, field: str):
    """The value ``field`` was last given in an action on ``application``, or None."""
    payloads = db.session.scalars(
        select(Event.payload).where(Event.application_id == application.id)
        .order_by(Event.seq.desc())
    )
    return next((payload[field] for payload in payloads if payload.get(field) is not None), None)


def answer(application: Application, path: str):
    """The answer at ``section.field`` of the application's form."""
    section, _, name = path.partition(".")
    return (application.answers or {}).get(section, {}).get(name)
