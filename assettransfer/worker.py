"""The Celery worker and beat of a production install (``JOBS_BROKER_URL`` set):

    celery -A assettransfer.worker worker --concurrency 2
    celery -A assettransfer.worker beat

Both read the same settings as the web app (instance/config.py, ``FLASK_*`` variables).
"""

from . import create_app
from .jobs.queue import celery_for

flask_app = create_app()
if not flask_app.config["JOBS_BROKER_URL"]:
    raise RuntimeError("Set JOBS_BROKER_URL (redis://...) to run the job worker; without it, "
                       "jobs run inside the web process")
app = celery_for(flask_app)
