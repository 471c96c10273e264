"""The Celery worker and beat of a production install (``JOBS_BROKER_URL`` set):

    celery -A assettransfer.worker worker --concurrency 2
    celery -A assettransfer.worker beat

Both read the same settings as the web app (instance/config.py, ``FLASK_*`` variables).
"""

from datetime import timedelta

from . import create_app
from .jobs.queue import REQUEUE, RUN_JOB, SWEEP_DEADLINES, celery_for, send
from .jobs.runner import due_jobs, run_job
from .jobs.sweep import run_sweep
from .workflow.calendar import uk_today

flask_app = create_app()
if not flask_app.config["JOBS_BROKER_URL"]:
    raise RuntimeError("Set JOBS_BROKER_URL (redis://...) to run the job worker; without it, "
                       "jobs run inside the web process")
app = celery_for(flask_app)


@app.task(name=RUN_JOB)
def run(job_id: int) -> str:
    with flask_app.app_context():
        return run_job(job_id)


@app.task(name=REQUEUE)
def requeue() -> int:
    with flask_app.app_context():
        ids = due_jobs(timedelta(seconds=flask_app.config["JOBS_REQUEUE_AFTER_SECONDS"]))
    send(app, ids)
    return len(ids)


@app.task(name=SWEEP_DEADLINES)
def sweep() -> int:
    with flask_app.app_context():
        return run_sweep(uk_today(), "schedule").taken
