from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User


class Event(db.Model):
    """One entry of an application's append-only audit trail.

    ``hash`` is the HMAC-SHA256, with the key ``key_id`` names (kept out of the database), of the
    event's content and ``prev_hash`` (the previous event's hash in the same application), so any
    edit, deletion or reordering breaks the chain; the chain's ``AuditHead`` says where it ends.
    """

    __tablename__ = "events"
    __table_args__ = (sa.UniqueConstraint("application_id", "seq", name="application_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="RESTRICT"), index=True
    )
    seq: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(sa.String(200))
    actor_role: Mapped[str] = mapped_column(sa.String(40))
    action: Mapped[str] = mapped_column(sa.String(60))
    from_state: Mapped[str | None] = mapped_column(sa.String(40))
    to_state: Mapped[str | None] = mapped_column(sa.String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # None: recorded before the trail was keyed, a plain SHA-256 until ``flask audit rekey``.
    key_id: Mapped[str | None] = mapped_column(sa.String(40))

    actor: Mapped[User | None] = relationship()


class AccountEvent(db.Model):
    """One entry of the account and security trail (sign-ins, passwords, roles, tokens): one
    chain for the whole table, keyed as ``Event``'s. Never a password or a token."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    event: Mapped[str] = mapped_column(sa.String(40))  # the security log's name for it
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    address: Mapped[str | None] = mapped_column(sa.String(45))  # the client's, as throttling sees
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    key_id: Mapped[str] = mapped_column(sa.String(40))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    by_user: Mapped[User | None] = relationship(foreign_keys=[by_user_id])


class AuditHead(db.Model):
    """Where one audit chain ends ("application:<id>", or "accounts"): its length and last hash,
    with an HMAC over both, so cutting events off the end of a chain is seen."""

    __tablename__ = "audit_heads"

    chain: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    length: Mapped[int]
    hash: Mapped[str] = mapped_column(sa.String(64))
    key_id: Mapped[str] = mapped_column(sa.String(40))
    mac: Mapped[str] = mapped_column(sa.String(64))
