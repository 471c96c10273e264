"""Helpers for the england-acv tests: a nomination listed (and a disposal notified) on a given
day, and what the application has of deadlines and letters."""
from datetime import date

from sqlalchemy import select

from assettransfer.documents import read_document
from assettransfer.extensions import db
from assettransfer.models import Deadline, Document
from assettransfer.services.organisations import organisations_of
from tests.documents.conftest import pdf_text


def deadline(application, name) -> Deadline | None:
    """The current row of the deadline ``name``: the latest not replaced by a later one."""
    return db.session.scalar(
        select(Deadline).where(Deadline.application_id == application.id, Deadline.name == name)
        .order_by(Deadline.superseded_at.is_not(None), Deadline.id.desc()).limit(1))


def letters(application, event=None) -> dict[str, str]:
    """kind -> title of the documents issued (by ``event`` only, if given)."""
    query = select(Document).where(Document.application_id == application.id)
    if event is not None:
        query = query.where(Document.event_id == event.id)
    return {d.kind: d.title for d in db.session.scalars(query)}


def letter_text(application, kind) -> str:
    """The text of the current letter of ``kind``."""
    document = db.session.scalar(select(Document).where(
        Document.application_id == application.id, Document.kind == kind,
        Document.superseded_at.is_(None)))
    return pdf_text(read_document(document))


def listed_on(act, people, application, day: date):
    """Send the nomination and list it on ``day``."""
    act(people.applicant, application, "submit", on=day)
    act(people.officer, application, "list", reasons="The only pub in the village.", on=day)
    return application


def disposal_notified_on(act, people, application, day: date):
    """List the nomination and record the owner's notice of a wish to sell received on ``day``."""
    listed_on(act, people, application, day)
    act(people.officer, application, "notify_disposal", notice_received_on=day.isoformat(),
        disposal_details="Freehold sale with vacant possession.", on=day)
    return application


def other_group(people):
    """The outsider's own organisation: a registered group that did not nominate the land."""
    return organisations_of(people.outsider)[0]
