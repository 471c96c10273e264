"""Running one outbox job: claim it, do it in a transaction that also marks it done, and on
failure record the error and when to try again.

Delivery is at least once (a message can arrive twice, a requeue can repeat one still queued), so
a job is claimed before it runs: only one process holds it, for ``JOBS_LEASE_SECONDS``. A process
that dies holding it leaves a lease that runs out, and the job is claimed again. The work and the
job's "done" commit together, and every job is idempotent (a second run finds its work done), so
each job's effect happens once.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from ..extensions import db
from ..models import Job, JobStatus
from ..models.types import utcnow
from ..outbox import NotReady
from ..services.transaction import transaction

log = logging.getLogger(__name__)
_HANDLERS_KEY = "assettransfer.jobs.handlers"
_GIVE_UP_KEY = "assettransfer.jobs.give_up"
Handler = Callable[[dict], object]
NOT_READY_DELAY = timedelta(seconds=5)
ERROR_LENGTH = 2000


def set_handlers(app, handlers: dict[str, Handler], give_up: dict[str, Handler]) -> None:
    """``handlers`` do each kind's work; ``give_up`` records, in the job's own row's transaction,
    that a kind's work will not be done (a message not sent) once its last try has failed."""
    app.extensions[_HANDLERS_KEY] = dict(handlers)
    app.extensions[_GIVE_UP_KEY] = dict(give_up)


def claimable(now):
    """Jobs a process may take now: waiting, or held by a process whose lease ran out."""
    return or_(Job.status == JobStatus.PENDING,
               and_(Job.status == JobStatus.RUNNING, Job.leased_until < now))


def _claim(job_id: int) -> bool:
    now = utcnow()
    lease = timedelta(seconds=current_app.config["JOBS_LEASE_SECONDS"])
    with transaction():
        claimed = db.session.execute(
            update(Job).where(Job.id == job_id, claimable(now))
            .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1,
                    leased_until=now + lease)
        ).rowcount
    return claimed == 1


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the ``attempts``-th failure: the base delay, four times longer each time."""
    return timedelta(seconds=current_app.config["JOBS_RETRY_BASE_SECONDS"] * 4 ** (attempts - 1))


def run_job(job_id: int) -> str:
    """Run job ``job_id`` if no other process holds it; return what became of it: "done",
    "retry" (failed, will be tried again), "failed" (gave up), "waiting" or "skipped"."""
    if not _claim(job_id):
        return "skipped"
    job = db.session.get(Job, job_id)
    handler = current_app.extensions[_HANDLERS_KEY].get(job.kind)
    try:
        if handler is None:
            raise LookupError(f"no handler for jobs of kind {job.kind!r}")
        with transaction():
            handler(job.payload)
            job.status, job.finished_at = JobStatus.DONE, utcnow()
            job.leased_until = job.last_error = None
        return "done"
    except NotReady as waiting:
        return _record_failure(job_id, waiting, counts=False)
    except Exception as error:  # noqa: BLE001  (any failure of a job is recorded on its row)
        log.exception("Job %s (%s) failed", job_id, job.kind if job else "?")
        return _record_failure(job_id, error, counts=True)


def _record_failure(job_id: int, error: Exception, counts: bool) -> str:
    with transaction():
        job = db.session.get(Job, job_id)
        if job.status is not JobStatus.RUNNING:
            return job.status.value  # another process finished it meanwhile
        now = utcnow()
        job.leased_until = None
        if not counts:
            job.attempts -= 1
            job.status, job.run_after = JobStatus.PENDING, now + NOT_READY_DELAY
            return "waiting"
        job.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        if job.attempts >= current_app.config["JOBS_MAX_ATTEMPTS"]:
            job.status = JobStatus.FAILED
            if (record := current_app.extensions[_GIVE_UP_KEY].get(job.kind)) is not None:
                record(job.payload)
            return "failed"
        job.status, job.run_after = JobStatus.PENDING, now + retry_delay(job.attempts)
        return "retry"


def due_jobs(grace: timedelta = timedelta(0), limit: int = 500) -> list[int]:
    """Ids of jobs to hand out again: waiting for ``grace`` past their time (a retry whose time
    has come, a message lost with its worker), or held by a process that died. Each is marked as
    handed out now, so the next requeue leaves it alone for another ``grace``."""
    now = utcnow()
    with transaction():
        ids = list(db.session.scalars(
            select(Job.id).where(or_(
                and_(Job.status == JobStatus.PENDING, Job.run_after <= now - grace),
                and_(Job.status == JobStatus.RUNNING, Job.leased_until < now)))
            .order_by(Job.id).limit(limit)))
        if ids:
            db.session.execute(update(Job).where(Job.id.in_(ids), Job.status == JobStatus.PENDING)
                               .values(run_after=now))
    return ids
