from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User


class Document(db.Model):
    """A PDF the authority issued. Its content never changes (a re-issue is a new version); a
    legal pack's file is replaced by one with each party's signature added after the seal
    (``documents.party_signing``), and each signature row keeps the SHA-256 its signer signed."""

    __tablename__ = "documents"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "kind", "version", name="application_kind_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(60))
    title: Mapped[str] = mapped_column(sa.String(200))
    version: Mapped[int] = mapped_column(default=1)
    stage: Mapped[str] = mapped_column(sa.String(40))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id"))
    stored_name: Mapped[str] = mapped_column(sa.String(255), unique=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)  # /verify looks files up by it
    size: Mapped[int]
    page_count: Mapped[int] = mapped_column(default=1)
    manifest: Mapped[dict | None] = mapped_column(sa.JSON)  # legal packs only
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The published copy of a letter, the personal data of individuals left out (documents.
    # public_copy): the same version with its own file and hash, superseded with the letter.
    # On the letter's row, not a row of its own, so that nothing that lists, versions or binds
    # documents has to learn to skip copies; a PDF is found by its hash in ``sha256`` or here.
    public_stored_name: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    public_sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    public_size: Mapped[int | None]
    public_page_count: Mapped[int | None]

    @property
    def has_public_copy(self) -> bool:
        return self.public_stored_name is not None

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class Signature(db.Model):
    """A party's sign-off of one legal pack, bound to the pack's SHA-256."""

    __tablename__ = "signatures"
    __table_args__ = (sa.UniqueConstraint("document_id", "user_id", name="document_signer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(sa.String(40))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    pack_sha256: Mapped[str] = mapped_column(sa.String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    document: Mapped[Document] = relationship()
