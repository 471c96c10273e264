"""Document rows and their files: versions, superseding, storing, reading back.

An action reserves a document's version when it orders it (the job's key names the version), and
the job that renders it stores the file and adds the row. Order matters for the rule "a row
without a file must never happen": the file is written (and fsynced) before its row is added to
the session, and the row only becomes real when the job's transaction commits.
"""

import hashlib
from datetime import datetime

from flask import current_app

from ..extensions import db
from ..models import Application, Document, Event, Job
from ..models.types import utcnow
from ..outbox import thaw
from .errors import IntegrityError
from .pdf import RenderedPdf
from .seal import seal_pdf
from .storage import document_name, get_storage, store

LEGAL_PACK = "legal_pack"
RENDER_DOCUMENT = "render_document"  # the job that renders a letter ordered by an action


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def job_key(application_id: int, kind: str, version: int) -> str:
    """The key of the job that makes this version of a document: one job per version."""
    return f"document:{application_id}:{kind}:{version:06d}"


def version_of_key(key: str) -> int:
    return int(key.rsplit(":", 1)[1])


def next_version(application: Application, kind: str) -> int:
    """The version a new ``kind`` document gets: after every version issued or being prepared."""
    issued = db.session.scalar(
        db.select(db.func.max(Document.version)).where(
            Document.application_id == application.id, Document.kind == kind
        )
    ) or 0
    ordered = db.session.scalars(db.select(Job.key).where(
        Job.application_id == application.id,
        Job.key.startswith(job_key(application.id, kind, 0)[:-6], autoescape=True)))
    return max([issued, *map(version_of_key, ordered)]) + 1


def current_documents(application: Application, kind: str | None = None) -> list[Document]:
    """Current (not superseded) documents of the application, in issue order."""
    query = db.select(Document).where(
        Document.application_id == application.id, Document.superseded_at.is_(None)
    )
    if kind is not None:
        query = query.where(Document.kind == kind)
    return list(db.session.scalars(query.order_by(Document.issued_at, Document.id)))


def replacements(documents: list[Document]) -> dict[int, Document]:
    """id of each superseded document in ``documents`` -> the version that replaced it: the first
    later version of its kind among ``documents`` (give every version of the kind)."""
    replaced = {}
    for document in documents:
        if document.superseded_at is None:
            continue
        later = [other for other in documents
                 if other.kind == document.kind and other.version > document.version]
        if later:
            replaced[document.id] = min(later, key=lambda other: other.version)
    return replaced


def versions_of(application_id: int, kind: str) -> list[Document]:
    return list(db.session.scalars(db.select(Document).where(
        Document.application_id == application_id, Document.kind == kind
    ).order_by(Document.version)))


def replaced_version(
    application: Application, kind: str, version: int
) -> tuple[int, datetime] | None:
    """The version a new ``version`` of ``kind`` replaces and when that was issued: the latest
    before it, rendered or still being prepared (its order says when it was issued); None for a
    first version."""
    earlier = [(document.version, document.issued_at)
               for document in versions_of(application.id, kind) if document.version < version]
    prefix = job_key(application.id, kind, 0)[:-6]
    for key, payload in db.session.execute(db.select(Job.key, Job.payload).where(
            Job.application_id == application.id, Job.key.startswith(prefix, autoescape=True))):
        issued_at = thaw(payload or {}).get("issued_at")
        if version_of_key(key) < version and isinstance(issued_at, datetime):
            earlier.append((version_of_key(key), issued_at))
    return max(earlier, default=None)


def document_of_key(key: str) -> Document | None:
    """The document the job of ``key`` (``job_key``) made, or None while it is being made."""
    application_id, kind = key.split(":")[1:3]
    return issued_version(int(application_id), kind, version_of_key(key))


def issued_version(application_id: int, kind: str, version: int) -> Document | None:
    return db.session.scalar(db.select(Document).where(
        Document.application_id == application_id, Document.kind == kind,
        Document.version == version))


def store_document(
    application: Application,
    *,
    kind: str,
    title: str,
    version: int,
    stage: str,
    data: bytes,
    page_count: int,
    event_id: int | None,
    now: datetime,
    manifest: dict | None = None,
    public_copy: RenderedPdf | None = None,
) -> Document:
    """Write the file (and its published copy's), supersede earlier current versions of
    ``kind`` and add the new row (flushed). Versions can be rendered out of order: one that a
    later version already replaced is stored as superseded when that one was issued. A copy is
    part of its letter's row, so it is superseded with it. The files stored, and their hashes,
    are of the PDFs as sealed (``seal.py``): the published copy is the council's too."""
    app = current_app._get_current_object()
    data = seal_pdf(app, data)
    digest = sha256_hex(data)
    name = document_name(application.id, kind, version, digest)
    store(name, data)
    copy = {}
    if public_copy is not None:
        copy_data = seal_pdf(app, public_copy.data)
        copy_digest = sha256_hex(copy_data)
        copy = {"public_stored_name": document_name(application.id, f"{kind}-public", version,
                                                    copy_digest),
                "public_sha256": copy_digest, "public_size": len(copy_data),
                "public_page_count": public_copy.page_count}
        store(copy["public_stored_name"], copy_data)
    superseded_at = None
    for current in current_documents(application, kind):
        if current.version < version:
            current.superseded_at = now
        else:
            superseded_at = current.issued_at
    document = Document(
        application_id=application.id,
        kind=kind,
        title=title,
        version=version,
        stage=stage,
        event_id=event_id,
        stored_name=name,
        sha256=digest,
        size=len(data),
        page_count=page_count,
        manifest=manifest,
        issued_at=now,
        superseded_at=superseded_at,
        **copy,
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


def read_public_copy(document: Document) -> bytes:
    """The published copy of ``document``, verified like the letter; ``document`` must have one."""
    return read_stored(document.public_stored_name, document.public_sha256)


def now_for(event: Event | None) -> datetime:
    """Issue time: the event's time if it has one, so rows and letters agree on the date."""
    return getattr(event, "at", None) or utcnow()
