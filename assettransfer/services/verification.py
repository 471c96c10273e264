"""Did this council issue this document? The public check behind ``/verify``, the API's
``POST /api/v1/verify`` and ``flask documents verify-signatures``.

A PDF is looked up by its SHA-256 among the issued documents, and its signatures are checked
against the council's trust roots (``documents.seal``); a SHA-256 alone can only be looked up.
A legal pack gets a new file each time a party signs it (``documents.party_signing``): an earlier
file is found by the SHA-256 its next signer signed, and said to have been signed since.
Nothing of what is checked is kept: the bytes are read in memory and dropped, and only the
database is read.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from ..documents.records import replacements, sha256_hex, versions_of
from ..documents.seal import (
    SignatureCheck,
    UnreadablePdf,
    check_signatures,
    get_seal,
    seal_description,
)
from ..extensions import db
from ..models import Application, Document, Signature
from .attachments import human_size
from .errors import FieldError, TooLarge, ValidationFailed

SHA256_SHAPE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class IssuedDocument:
    reference: str  # the case's
    kind: str
    title: str
    version: int
    issued_at: datetime
    superseded_at: datetime | None  # when a later version replaced it
    replaced_by: int | None  # the version that replaced it (None: current)
    latest_version: int  # the current version of the same kind
    published_copy: bool  # the copy published on the register, with personal data left out
    signed_since: bool = False  # an earlier file of a legal pack, which someone signed since

    @property
    def superseded(self) -> bool:
        return self.superseded_at is not None


@dataclass(frozen=True)
class Verdict:
    sha256: str
    document: IssuedDocument | None  # None: not a document this council issued
    signatures: list[SignatureCheck] | None  # None: only a SHA-256 was given

    @property
    def issued(self) -> bool:
        return self.document is not None

    @property
    def signatures_valid(self) -> bool | None:
        """Every signature valid (and at least one); None when there was no file to check."""
        if self.signatures is None:
            return None
        return bool(self.signatures) and all(check.valid for check in self.signatures)


def verify(data: bytes | None, sha256: str | None) -> Verdict:
    """Check the PDF ``data`` if one was given, else look up ``sha256``.

    :raises ValidationFailed: if neither was given, or what was given will not do.
    """
    if data is not None:
        return verify_file(data)
    if (sha256 or "").strip():
        return verify_sha256(sha256)
    message = "Choose a PDF, or enter its SHA-256"
    raise ValidationFailed(message, [FieldError("file", message)])


def verify_file(data: bytes, field: str = "file") -> Verdict:
    """Look up and check an uploaded PDF.

    :raises ValidationFailed: (``TooLarge``) naming ``field`` for an empty, oversized or non-PDF
        file, or one that cannot be read as a PDF.
    """
    limit = current_app.config["VERIFY_MAX_BYTES"]
    if not data:
        raise ValidationFailed("The file is empty", [FieldError(field, "The file is empty")])
    if len(data) > limit:
        message = f"The file must be smaller than {human_size(limit)}"
        raise TooLarge(message, [FieldError(field, message)])
    if not data.lstrip()[:5] == b"%PDF-":
        message = "The file must be a PDF"
        raise ValidationFailed(message, [FieldError(field, message)])
    try:
        signatures = check_signatures(current_app._get_current_object(), data)
    except UnreadablePdf as error:
        message = f"The file {error}"
        raise ValidationFailed(message, [FieldError(field, message)]) from None
    digest = sha256_hex(data)
    return Verdict(digest, _issued(digest), signatures)


def verify_sha256(text: str, field: str = "sha256") -> Verdict:
    """Look up a SHA-256 given as 64 hexadecimal characters (spaces and case ignored).

    :raises ValidationFailed: naming ``field`` if it is not one.
    """
    digest = re.sub(r"\s+", "", text or "").lower()
    if not SHA256_SHAPE.match(digest):
        message = "Enter a SHA-256 as 64 characters, 0 to 9 and a to f"
        raise ValidationFailed(message, [FieldError(field, message)])
    return Verdict(digest, _issued(digest), None)


def _issued(digest: str) -> IssuedDocument | None:
    found = db.select(Document, Application.reference).join(
        Application, Application.id == Document.application_id).order_by(Document.id).limit(1)
    row = db.session.execute(found.where(
        db.or_(Document.sha256 == digest, Document.public_sha256 == digest))).first()
    signed_since = row is None
    if signed_since:
        row = db.session.execute(found.where(Document.id.in_(
            db.select(Signature.document_id).where(Signature.pack_sha256 == digest)))).first()
    if row is None:
        return None
    document, reference = row
    versions = versions_of(document.application_id, document.kind)
    replacement = replacements(versions).get(document.id)
    return IssuedDocument(
        reference=reference, kind=document.kind, title=document.title,
        version=document.version, issued_at=document.issued_at,
        superseded_at=document.superseded_at,
        replaced_by=replacement.version if replacement is not None else None,
        latest_version=versions[-1].version, published_copy=document.public_sha256 == digest,
        signed_since=signed_since)


def seal_in_use() -> dict:
    """Which key seals the documents and where their timestamps come from, for ``/readyz``;
    loading the key on the way, so a wrong path or password raises here rather than in every
    document's job."""
    app = current_app._get_current_object()
    get_seal(app)
    return seal_description(app)
