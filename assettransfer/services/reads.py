"""Read-only look-ups of an application's trail, documents and assessments, for pages and the API.

Each one applies the same visibility rules as the rest of the services: an application, and so its
documents and trail, is seen by council roles and by members of the applying organisation only.

Pages and the API reach the documents layer only through here: ``current_legal_pack`` (of an
application already fetched for this user) and ``read_document`` (of a document fetched by
``get_document`` or ``legal_pack_for``) are the documents layer's own.
"""
from sqlalchemy import select

from ..documents.service import current_legal_pack, read_document
from ..extensions import db
from ..models import Application, Assessment, Document, Event
from ..workflow import workflows
from .applications import get_application, visible_to
from .casework import assessments_of
from .errors import NotAllowed, NotFound
from .records import by_id

__all__ = [
    "INTERNAL_EVENTS", "assessments_for", "current_legal_pack", "documents_of", "events_for",
    "get_document", "legal_pack_for", "read_document",
]

# Trail entries about the council's internal casework: not shown to applicants.
INTERNAL_EVENTS = frozenset({"add_note", "save_assessment"})


def events_for(user, application: Application) -> list[Event]:
    """The audit trail in order.

    Applicants see neither the council's internal casework entries nor action data the workflow
    marks ``internal`` (such as the recommendation to the decision maker).
    """
    query = select(Event).where(Event.application_id == application.id).order_by(Event.seq)
    if user.is_council:
        return list(db.session.scalars(query))
    hidden = {action.name: {f.name for f in action.fields if f.internal}
              for action in workflows()[application.workflow].actions.values()}
    return [_without(event, hidden[event.action]) if hidden.get(event.action) else event
            for event in db.session.scalars(query.where(Event.action.not_in(INTERNAL_EVENTS)))]


def _without(event: Event, names: set[str]) -> Event:
    """A detached copy of the event without some of its data; the stored event is untouched."""
    copy = Event(**{column.key: getattr(event, column.key) for column in Event.__table__.columns})
    copy.payload = {key: value for key, value in event.payload.items() if key not in names}
    return copy


def documents_of(application: Application, current_only: bool = False) -> list[Document]:
    """Every document issued for the application (or only the current versions), in issue order."""
    query = select(Document).where(Document.application_id == application.id)
    if current_only:
        query = query.where(Document.superseded_at.is_(None))
    return list(db.session.scalars(query.order_by(Document.issued_at, Document.id)))


def get_document(user, document_id: int) -> Document:
    """An issued document, or NotFound when it does not exist or its application is not visible."""
    document = by_id(Document, document_id)
    application = document and db.session.get(Application, document.application_id)
    if application is None or not visible_to(user, application):
        raise NotFound("No such document")
    return document


def legal_pack_for(user, application_id: int) -> Document:
    """The current legal pack of an application the user may see; NotFound if none was issued."""
    pack = current_legal_pack(get_application(user, application_id))
    if pack is None:
        raise NotFound("No legal pack has been issued for this application")
    return pack


def assessments_for(user, application: Application) -> list[Assessment]:
    """Officers' assessments, for council roles only."""
    if not user.is_council:
        raise NotAllowed("Only council staff can see assessments")
    return assessments_of(application)
