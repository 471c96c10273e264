"""What officers record on a case besides its state: scores, representations, internal notes."""
import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, enum_column, utcnow
from .user import User

MAX_SCORE = 5  # each officer scores each criterion from 0 to MAX_SCORE


class Assessment(db.Model):
    """One officer's scores (0 to MAX_SCORE) and comments against the workflow's criteria."""

    __tablename__ = "assessments"
    __table_args__ = (
        sa.UniqueConstraint("application_id", "assessor_id", name="one_per_assessor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    assessor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    scores: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    comments: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assessor: Mapped[User] = relationship()


class RepresentationSource(enum.StrEnum):
    """How a representation came: made online on the public register, or recorded by an officer
    (received by post or e-mail)."""

    ONLINE = "online"
    OFFICER = "officer"

    @property
    def label(self) -> str:
        return {"online": "Made online", "officer": "Recorded by an officer"}[self.value]


class Representation(db.Model):
    """A third party's representation on a Scottish asset transfer request (SSI 2016/357 reg 7).

    Who made it (name, address, e-mail) is for the council only: never on the public register.
    """

    __tablename__ = "representations"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_name: Mapped[str] = mapped_column(sa.String(200))
    received_on: Mapped[date]
    text: Mapped[str] = mapped_column(sa.Text)
    address: Mapped[str | None] = mapped_column(sa.Text)
    email: Mapped[str | None] = mapped_column(sa.String(320))
    source: Mapped[RepresentationSource] = mapped_column(
        enum_column(RepresentationSource, "representation_source"),
        default=RepresentationSource.OFFICER, server_default=RepresentationSource.OFFICER.value)
    # None for one made online: nobody at the council recorded it.
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship()


class Note(db.Model):
    """An internal note on a case, seen only by council roles."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
