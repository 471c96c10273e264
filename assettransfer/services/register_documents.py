"""The documents the register of requests publishes (services.register): a notice to the public
as issued, a letter to a person only as its published copy, the personal data of individuals
left out (``documents.public_copy``). Which kinds are which is decided in ``services.public``."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..documents.records import read_document, read_public_copy
from ..extensions import db
from ..models import Application, Document
from ..wording import as_date
from . import public
from .errors import NotFound
from .records import by_id


@dataclass(frozen=True)
class PublicDocument:
    id: int
    title: str
    issued_on: date
    copy: bool  # the published copy of a letter, personal data left out (not the letter)


@dataclass(frozen=True)
class PublicFile:
    """A document's PDF as the register serves it: the letter's published copy, or a notice."""

    data: bytes
    sha256: str
    filename: str


def _published_as_copy(application: Application, document: Document) -> bool | None:
    """How the register publishes ``document``: False as issued (a notice to the public), True
    as its published copy, None not at all."""
    if public.is_public_document(application, document.kind):
        return False
    if document.has_public_copy and public.publishes_copy(application, document.kind):
        return True
    return None


def published(application: Application) -> list[PublicDocument]:
    """The current documents of ``application`` the register publishes, in issue order."""
    documents = db.session.scalars(
        select(Document).where(Document.application_id == application.id,
                               Document.superseded_at.is_(None))
        .order_by(Document.issued_at, Document.id))
    return [PublicDocument(d.id, d.title, as_date(d.issued_at), copy=is_copy)
            for d in documents if (is_copy := _published_as_copy(application, d)) is not None]


def published_file(application: Application, document_id) -> PublicFile:
    """The PDF the register publishes of a current document of ``application``: a public notice
    as issued, a letter's published copy (never the letter, addressed to a person); NotFound for
    any other document (another request's, superseded, of a kind not published)."""
    document = by_id(Document, document_id)
    as_copy = None
    if document is not None and document.application_id == application.id \
            and document.is_current:
        as_copy = _published_as_copy(application, document)
    if as_copy is None:
        raise NotFound("No such document on the register")
    name = f"{application.reference}-{document.kind.replace('_', '-')}-v{document.version}"
    if as_copy:
        return PublicFile(read_public_copy(document), document.public_sha256,
                          f"{name}-published-copy.pdf")
    return PublicFile(read_document(document), document.sha256, f"{name}.pdf")
