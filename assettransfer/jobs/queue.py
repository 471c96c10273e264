"""Celery on Redis, for production: the messages that say "run job N", and the schedule.

Chosen over RQ and Dramatiq because its beat scheduler is the mature one of the three (the
deadline sweep must run daily without a hand-written scheduler), and late acknowledgement with
``reject_on_worker_lost`` redelivers a message whose worker died. The outbox row, not Celery, is
the record of each job (attempts, errors, retries), so Celery only carries job ids.
"""

import logging
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab
from flask import Flask

from ..services.notices import send_digest
from ..services.transaction import transaction
from ..workflow.calendar import uk_today
from .runner import due_jobs, run_job
from .sweep import run_sweep

log = logging.getLogger(__name__)
_EXTENSION_KEY = "assettransfer.jobs.celery"
RUN_JOB = "assettransfer.jobs.run"
REQUEUE = "assettransfer.jobs.requeue"
SWEEP_DEADLINES = "assettransfer.jobs.sweep"
WEEKLY_DIGEST = "assettransfer.jobs.digest"


def celery_for(app: Flask) -> Celery:
    celery = app.extensions.get(_EXTENSION_KEY)
    if celery is None:
        url = app.config["JOBS_BROKER_URL"]
        celery = Celery(app.import_name, broker=url, set_as_current=False)
        celery.conf.update(
            task_default_queue=app.config["JOBS_QUEUE"],
            task_acks_late=True,  # a message is gone only once its job has run
            task_reject_on_worker_lost=True,
            worker_prefetch_multiplier=1,
            task_ignore_result=True,
            broker_connection_retry_on_startup=True,
            broker_transport_options={"visibility_timeout": app.config["JOBS_LEASE_SECONDS"] * 2},
            timezone="Europe/London",
            beat_schedule={
                "requeue-due-jobs": {"task": REQUEUE, "schedule": 60.0},
                # Twice a day, so one missed run is made up the same day; a second run finds
                # nothing left to do.
                "deadline-sweep": {"task": SWEEP_DEADLINES,
                                   "schedule": crontab(minute=5, hour="1,13")},
                # The council team's summary of the week, first thing on Monday.
                "weekly-digest": {"task": WEEKLY_DIGEST,
                                  "schedule": crontab(minute=0, hour=7, day_of_week="mon")},
            },
        )
        _add_tasks(celery, app)
        app.extensions[_EXTENSION_KEY] = celery
    return celery


def _add_tasks(celery: Celery, app: Flask) -> None:
    @celery.task(name=RUN_JOB, shared=False)
    def run(job_id: int) -> str:
        with app.app_context():
            return run_job(job_id)

    @celery.task(name=REQUEUE, shared=False)
    def requeue() -> int:
        with app.app_context():
            ids = due_jobs(timedelta(seconds=app.config["JOBS_REQUEUE_AFTER_SECONDS"]))
        send(celery, ids)
        return len(ids)

    @celery.task(name=SWEEP_DEADLINES, shared=False)
    def sweep() -> int:
        with app.app_context():
            return run_sweep(uk_today(), "schedule").taken

    @celery.task(name=WEEKLY_DIGEST, shared=False)
    def digest() -> int:
        with app.app_context(), transaction():
            return send_digest(uk_today())


def send(celery: Celery, ids: list[int]) -> None:
    """Queue a message per job. A broker that cannot be reached loses nothing: the rows are
    committed and the next requeue hands them out."""
    for job_id in ids:
        try:
            celery.send_task(RUN_JOB, args=[job_id])
        except Exception:  # noqa: BLE001  (kombu raises many kinds of connection error)
            log.exception("Could not queue job %s; the next requeue will", job_id)
