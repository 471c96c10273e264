"""Background jobs: what the outbox's rows ask for, done after the commit that wrote them.

``init_app`` picks how committed jobs are handed out (``JOBS_BROKER_URL``):
- unset (the embedded default): each runs in this process right after the commit, so nothing
  else has to be started; a job that failed is tried again by ``flask jobs run`` or its Retry
  button;
- a Redis URL (production): each becomes a Celery message that ``celery -A
  assettransfer.worker worker`` runs, and Celery beat hands out again what is due
  (retries, messages lost with a worker) every minute and runs the deadline sweep.
"""

import logging

from flask import Flask

from .. import metrics
from ..documents import JOB_HANDLERS as DOCUMENT_JOBS
from ..messaging import GIVE_UP_HANDLERS
from ..messaging import JOB_HANDLERS as MESSAGE_JOBS
from ..models.types import utcnow
from ..outbox import set_dispatcher
from ..services.operations import job_figures, last_sweep_finished_at
from .queue import celery_for, send
from .runner import run_job, set_handlers

log = logging.getLogger(__name__)
__all__ = ["init_app", "run_job"]


def init_app(app: Flask) -> None:
    set_handlers(app, {**DOCUMENT_JOBS, **MESSAGE_JOBS}, GIVE_UP_HANDLERS)
    if app.config["JOBS_BROKER_URL"]:
        celery = celery_for(app)
        set_dispatcher(app, lambda ids: send(celery, ids))
    else:
        set_dispatcher(app, lambda ids: run_here(app, ids))
    for name, documentation, read in GAUGES:
        metrics.add_gauge(app, name, documentation, read)


def _sweep_age() -> float | None:
    finished = last_sweep_finished_at()
    return (utcnow() - finished).total_seconds() if finished else None


GAUGES = (
    ("assettransfer_jobs_pending", "Background jobs waiting or running",
     lambda: job_figures().pending),
    ("assettransfer_jobs_failed", "Background jobs given up on, waiting for an admin's Retry",
     lambda: job_figures().failed),
    ("assettransfer_jobs_oldest_pending_seconds", "Age of the oldest job waiting or running",
     lambda: job_figures().oldest_pending_seconds),
    ("assettransfer_sweep_age_seconds", "Seconds since the last deadline sweep finished",
     _sweep_age),
)


def run_here(app: Flask, ids: list[int]) -> None:
    """Run the jobs now, each in its own application context, database session and transaction
    (the committing session is finishing its commit and must not be reused)."""
    for job_id in ids:
        with app.app_context():
            try:
                run_job(job_id)
            except Exception:  # noqa: BLE001  (the action committed: a job must not undo its answer)
                log.exception("Job %s could not be run; `flask jobs run` will try again", job_id)
