import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, enum_column, utcnow


class JobStatus(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"pending": "Waiting", "running": "Being worked on", "done": "Done",
                "failed": "Failed"}[self.value]


class Job(db.Model):
    """A piece of follow-up work an action left to do after its commit (the outbox): render a
    letter, build a legal pack, run the daily sweep. The row is written in the action's own
    transaction, so a rolled-back action leaves none, and it records every attempt."""

    __tablename__ = "jobs"
    __table_args__ = (sa.Index("ix_jobs_status_run_after", "status", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # Running a job twice must do its work once: the key names the work (one letter's version).
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    label: Mapped[str] = mapped_column(sa.String(200))
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, "job_status"),
                                              default=JobStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # While a worker holds the job; a worker that died leaves a lease that runs out.
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_open(self) -> bool:
        return self.status is not JobStatus.DONE


class SweepRun(db.Model):
    """One run of the daily deadline sweep: when, how it was started, what it did."""

    __tablename__ = "sweep_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    swept_on: Mapped[date]  # the day whose due deadlines were acted on
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_by: Mapped[str] = mapped_column(sa.String(40))  # "schedule", "command"
    taken: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    # Each action taken or refused: {"reference", "action", "outcome", "message"}
    details: Mapped[list] = mapped_column(sa.JSON, default=list)
