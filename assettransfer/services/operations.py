"""What staff see of the work done after the request: the outbox's jobs and the deadline sweep.

Council staff see a case's documents still being prepared and any that failed; admins see every
job that failed, with its error, and may have it tried again.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from ..extensions import db
from ..messaging import SEND_MESSAGE
from ..models import Application, Job, JobStatus, Role, SweepRun, User
from ..models.types import utcnow
from ..outbox import dispatch_after_commit
from . import account_audit
from .errors import NotAllowed, NotFound


@dataclass(frozen=True)
class JobFigures:
    pending: int
    failed: int
    oldest_pending_seconds: float | None


def job_figures() -> JobFigures:
    """Jobs waiting or being worked on, jobs given up on, and how long the oldest has waited:
    for readiness checks and metrics."""
    open_statuses = (JobStatus.PENDING, JobStatus.RUNNING)
    pending, failed, oldest = db.session.execute(select(
        func.count().filter(Job.status.in_(open_statuses)),
        func.count().filter(Job.status == JobStatus.FAILED),
        func.min(Job.created_at).filter(Job.status.in_(open_statuses)),
    )).one()
    if oldest is not None and oldest.tzinfo is None:  # SQLite keeps no zone in an aggregate
        oldest = oldest.replace(tzinfo=utcnow().tzinfo)
    age = (utcnow() - oldest).total_seconds() if oldest else None
    return JobFigures(pending=pending, failed=failed, oldest_pending_seconds=age)


def documents_being_prepared(user: User, application: Application) -> list[Job]:
    """The case's documents not yet rendered; council staff also see those that failed. (Its
    messages' jobs are the messages' own: the case lists them with their status.)"""
    jobs = db.session.scalars(select(Job).where(
        Job.application_id == application.id, Job.finished_at.is_(None),
        Job.kind != SEND_MESSAGE).order_by(Job.id))
    return [job for job in jobs if user.is_council or job.status is not JobStatus.FAILED]


def failed_jobs(user: User) -> list[Job]:
    _admin_only(user)
    return list(db.session.scalars(
        select(Job).where(Job.status == JobStatus.FAILED).order_by(Job.id.desc())))


def retry_job(user: User, job_id: int) -> Job:
    """Have a failed job tried again from its first attempt, once this transaction commits."""
    _admin_only(user)
    job = db.session.get(Job, job_id)
    if job is None or job.status is not JobStatus.FAILED:
        raise NotFound("No such failed job")
    job.status, job.attempts, job.run_after = JobStatus.PENDING, 0, utcnow()
    account_audit.record("job_retried", None, by_user_id=user.id, job=job.id, key=job.key)
    dispatch_after_commit(job)
    return job


def _admin_only(user: User) -> None:
    if user.role is not Role.ADMIN:
        raise NotAllowed("Only an administrator can see and retry failed jobs")


@dataclass(frozen=True)
class SweepStatus:
    last: SweepRun | None
    ran_today: bool

    @property
    def warning(self) -> str | None:
        if self.last is None:
            return ("The deadline sweep has never run: overdue and lapsed cases are not being "
                    "acted on.")
        if self.last.finished_at is None:
            return "The last deadline sweep did not finish: check the job worker's log."
        if not self.ran_today:
            return ("The deadline sweep has not run today: check the scheduler (Celery beat or "
                    "cron).")
        return None


def sweep_status(today: date) -> SweepStatus:
    last = db.session.scalar(select(SweepRun).order_by(SweepRun.started_at.desc()).limit(1))
    ran_today = last is not None and last.swept_on == today and last.finished_at is not None
    return SweepStatus(last=last, ran_today=ran_today)


def last_sweep_finished_at() -> datetime | None:
    return db.session.scalar(select(func.max(SweepRun.finished_at)))
