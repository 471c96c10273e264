"""A message is written in the transaction of what it tells of and sent after the commit, once."""
import json
from pathlib import Path

import pytest

from assettransfer.extensions import db
from assettransfer.jobs.runner import run_job
from assettransfer.models import Channel, Job, Message, MessageStatus
from assettransfer.outbox import set_dispatcher
from assettransfer.services.messages import queue_message
from assettransfer.services.transaction import doom, transaction


@pytest.fixture
def held(app):
    handed = []
    set_dispatcher(app, handed.extend)
    return handed


def stage_changed(make, key="stage:1:ann"):
    application = make.ApplicationFactory()
    return queue_message(
        "stage_changed", key=key, to_name="Ann Lead", to_address="ann@example.org",
        application=application,
        context={"to_name": "Ann Lead", "application": application, "asset": application.asset,
                 "stage": "Expression of interest sent", "next_steps": "We will reply.",
                 "url": "https://assets.example.gov.uk/applications/1"})


def test_a_message_is_sent_after_the_commit_and_kept_on_file_without_a_mail_server(
        app, make, held):
    with transaction():
        message = stage_changed(make)
    assert message.status is MessageStatus.QUEUED and message.channel is Channel.EMAIL
    assert message.subject.endswith(": Expression of interest sent")
    [job_id] = held
    assert run_job(job_id) == "done"
    db.session.refresh(message)
    assert (message.status, message.provider) == (MessageStatus.SENT, "file")
    folder = Path(app.config["MESSAGES_DIR"])
    written = json.loads((folder / f"{message.provider_id}.json").read_text())
    assert written["address"] == "ann@example.org" and "reached a new stage" in written["body"]


def test_a_message_is_written_once_and_sent_once(app, make, held):
    with transaction():
        first = stage_changed(make)
        again = queue_message("stage_changed", key="stage:1:ann", to_name="x", to_address="y",
                              context={})
    assert again is first and db.session.query(Message).count() == 1
    run_job(held[0])
    job = db.session.get(Job, held[0])
    job.status = job.status.PENDING  # a redelivered message
    db.session.commit()
    assert run_job(job.id) == "done"
    db.session.refresh(first)
    assert first.status is MessageStatus.SENT


def test_nothing_is_sent_for_a_rolled_back_action(app, make, held):
    with transaction():
        stage_changed(make)
        doom()
    assert held == [] and db.session.query(Message).count() == 0
