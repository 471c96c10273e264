import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class DeadlineStatus(enum.StrEnum):
    PENDING = "pending"
    MET = "met"
    MISSED = "missed"


class Deadline(db.Model):
    """A dated obligation on an application, computed by a rule in its workflow.

    ``rule`` is the rule in words as shown on notices; an extension supersedes the row rather
    than editing it, so the history of dates stays visible.
    """

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(60))
    starts_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    rule: Mapped[str] = mapped_column(sa.Text)
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id"))
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def status_on(self, today: date) -> DeadlineStatus:
        if self.met_at is not None:
            return DeadlineStatus.MET
        if today > self.due_on:
            return DeadlineStatus.MISSED
        return DeadlineStatus.PENDING

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.superseded_at is None
