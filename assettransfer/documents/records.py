"""Document rows and their files: versions, superseding, storing, reading back.

Order matters for the rule "a row without a file must never happen": the file is written (and
fsynced) before its row is added to the session, and the row only becomes real when the caller
commits. A file whose transaction rolls back stays behind unreferenced, which is harmless.
"""

import hashlib
from datetime import datetime

from flask import current_app

from ..extensions import db
from ..models import Application, Document, Event
from ..models.types import utcnow
from .errors import IntegrityError
from .storage import document_name, get_storage, store

LEGAL_PACK = "legal_pack"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def next_version(application: Application, kind: str) -> int:
    latest = db.session.scalar(
        db.select(db.func.max(Document.version)).where(
            Document.application_id == application.id, Document.kind == kind
        )
    )
    return (latest or 0) + 1


def current_documents(application: Application, kind: str | None = None) -> list[Document]:
    """Current (not superseded) documents of the application, in issue order."""
    query = db.select(Document).where(
        Document.application_id == application.id, Document.superseded_at.is_(None)
    )
    if kind is not None:
        query = query.where(Document.kind == kind)
    return list(db.session.scalars(query.order_by(Document.issued_at, Document.id)))


def store_document(
    application: Application,
    *,
    kind: str,
    title: str,
    version: int,
    data: bytes,
    page_count: int,
    event: Event | None,
    now: datetime,
    manifest: dict | None = None,
) -> Document:
    """Write the file, supersede the current version of ``kind`` and add the new row (flushed)."""
    digest = sha256_hex(data)
    name = document_name(application.id, kind, version, digest)
    store(name, data)
    for previous in current_documents(application, kind):
        previous.superseded_at = now
    document = Document(
        application_id=application.id,
        kind=kind,
        title=title,
        version=version,
        stage=application.state,
        event_id=event.id if event is not None else None,
        stored_name=name,
        sha256=digest,
        size=len(data),
        page_count=page_count,
        manifest=manifest,
        issued_at=now,
    )
    db.session.add(document)
    db.session.flush()
    return document


def read_stored(name: str, expected_sha256: str) -> bytes:
    """The stored bytes of ``name``; raise ``IntegrityError`` if they changed since issue."""
    data = get_storage(current_app).open(name)
    actual = sha256_hex(data)
    if actual != expected_sha256:
        raise IntegrityError(f"{name}: stored SHA-256 {actual} does not match {expected_sha256}")
    return data


def read_document(document: Document) -> bytes:
    """The PDF of ``document``, verified against the SHA-256 recorded when it was issued."""
    return read_stored(document.stored_name, document.sha256)


def now_for(event: Event | None) -> datetime:
    """Issue time: the event's time if it has one, so rows and letters agree on the date."""
    return getattr(event, "at", None) or utcnow()
