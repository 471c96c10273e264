"""Production jobs: a committed action's letter goes to Redis as a Celery message and a real Celery
worker makes it; a job whose message was lost is queued again by the requeue task. Skipped, saying
why, when Redis cannot be reached (CI has it)."""

import os
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.jobs.queue import REQUEUE, celery_for
from assettransfer.models import Job, JobStatus
from assettransfer.outbox import set_dispatcher
from assettransfer.services.actions import take_action
from assettransfer.services.reads import documents_of
from assettransfer.services.transaction import transaction

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def broker():
    redis = pytest.importorskip("redis", reason="the redis package is not installed ([dev] extra)")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (set TEST_REDIS_URL): {exc}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def config_overrides(broker):
    # A queue of this run's own: other runs on the same Redis never take its messages.
    return {"JOBS_BROKER_URL": broker, "JOBS_QUEUE": f"test-{uuid.uuid4().hex[:12]}"}


@pytest.fixture
def worker(app):
    celery = celery_for(app)
    with start_worker(celery, pool="solo", concurrency=1, perform_ping_check=False,
                      shutdown_timeout=10):
        yield celery


def wait_until_done(job_id: int, seconds: float = 30) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if job.status is JobStatus.DONE:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} is still {job.status.value}: {job.last_error}")


def submit_eoi(people, application) -> Job:
    with transaction():
        take_action(people.applicant, application, "submit_eoi")
    return db.session.scalar(select(Job).where(Job.application_id == application.id))


def test_the_worker_makes_the_letter_a_committed_action_ordered(new_application, people, worker):
    application = new_application("council-cat")
    job = submit_eoi(people, application)
    assert wait_until_done(job.id).attempts == 1
    [document] = documents_of(application)
    assert document.kind == "eoi_acknowledgement"


def test_a_lost_message_is_queued_again_and_done(app, new_application, people, worker):
    set_dispatcher(app, lambda ids: None)  # the message never reaches Redis
    application = new_application("council-cat")
    job = submit_eoi(people, application)
    time.sleep(0.5)
    db.session.expire_all()
    assert db.session.get(Job, job.id).status is JobStatus.PENDING
    app.config["JOBS_REQUEUE_AFTER_SECONDS"] = 0
    # The letter and the four messages of the action (to the two members, the two officers).
    assert worker.tasks[REQUEUE].apply().get() == 5
    wait_until_done(job.id)
    assert len(documents_of(application)) == 1
