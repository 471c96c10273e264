from datetime import date, datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .asset import Asset
from .organisation import Organisation
from .types import UTCDateTime, utcnow


class Application(db.Model):
    """A request, nomination or bid for one asset by one organisation, run by one workflow.

    Only the workflow engine changes ``state``; ``version`` makes every change optimistic-locked.
    """

    __tablename__ = "applications"
    # The work queues filter by route and stage and sort by the next deadline.
    __table_args__ = (sa.Index("ix_applications_queue", "workflow", "state", "next_due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    asset_id: Mapped[int] = mapped_column(sa.ForeignKey("assets.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    # Active history: the stage tallies need the stage an application leaves.
    workflow: Mapped[str] = mapped_column(sa.String(40), index=True, active_history=True)
    state: Mapped[str] = mapped_column(sa.String(40), index=True, active_history=True)
    version: Mapped[int] = mapped_column(default=1)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The terms a decision maker approved, for heads of terms and the legal pack.
    terms: Mapped[dict | None] = mapped_column(sa.JSON)
    # The earliest pending deadline, kept by the engine so queues sort and filter in SQL.
    next_due_on: Mapped[date | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    asset: Mapped[Asset] = relationship()
    organisation: Mapped[Organisation] = relationship()

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Application {self.reference} {self.workflow}:{self.state}>"


class ReferenceSequence(db.Model):
    """The last number given out for each reference prefix and year (CAT-2026-0007)."""

    __tablename__ = "reference_sequences"

    prefix: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class StageTally(db.Model):
    """How many applications are at each stage of each workflow, so the dashboard reads a few
    dozen rows rather than counting every application. Kept by ``services.tallies``."""

    __tablename__ = "stage_tallies"

    workflow: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    applications: Mapped[int] = mapped_column(default=0)
