from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .user import User


class Event(db.Model):
    """One entry of an application's append-only audit trail.

    ``hash`` is the SHA-256 of the event's content and ``prev_hash`` (the previous event's hash in
    the same application), so any edit, deletion or reordering breaks the chain.
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

    actor: Mapped[User | None] = relationship()
