"""E-mail and letters by GOV.UK Notify, against a local stand-in that checks each request as
Notify's API does: the outbox sends each message once, as Notify expects it, and a refusal or an
outage is recorded on the job in words that say whether trying again can help."""
import base64
import hashlib

import pytest
from flask import Flask

from assettransfer import create_app
from assettransfer.documents.records import job_key
from assettransfer.extensions import db
from assettransfer.messaging.notify import NotifyChannel
from assettransfer.models import Channel, Job, JobStatus, MessageStatus
from assettransfer.services.messages import queue_message
from assettransfer.services.reads import documents_of
from assettransfer.services.transaction import transaction
from tests.workflow.conftest import asset, new_application, people, walk  # noqa: F401

from .notify_server import API_KEY, SERVICE_ID, notify_server
from .smtp_server import free_port

EMAIL_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
DEFAULT_TEMPLATE = "0cbe4a5a-7d4b-4a56-9a5c-1e8b5b2d3a10"
LETTER_TEMPLATE = "b3c0e6f2-1d5a-4a4e-8f53-8e8a3b1c2d44"
TEMPLATE_IDS = {"stage_changed": EMAIL_TEMPLATE, "default": DEFAULT_TEMPLATE,
                "letter:default": LETTER_TEMPLATE}
POSTAL_ADDRESS = "The Old Mill\nMill Lane\nExampletown\nEX1 2AB"


@pytest.fixture
def notify():
    with notify_server() as notify:
        yield notify


@pytest.fixture
def config_overrides(notify):
    # MAIL_SERVER too: with a Notify key, Notify sends whatever else is configured.
    return {"NOTIFY_API_KEY": API_KEY, "NOTIFY_BASE_URL": notify.url,
            "NOTIFY_TEMPLATE_IDS": TEMPLATE_IDS, "MAIL_SERVER": "127.0.0.1"}


def queue_stage_changed(application, to_address="ann@example.org", **options):
    with transaction():
        return queue_message(
            "stage_changed", key=f"stage:{application.id}:{to_address[:20]}", to_name="Ann Lead",
            to_address=to_address, application=application,
            context={"to_name": "Ann Lead", "application": application,
                     "asset": application.asset, "stage": "Expression of interest sent",
                     "next_steps": "We will reply within 20 working days.",
                     "url": f"https://assets.example.gov.uk/applications/{application.id}"},
            **options)


def sent(message):
    db.session.refresh(message)
    return message


def job_of(message) -> Job:
    return db.session.query(Job).filter_by(key=f"message:{message.id}").one()


def test_an_email_goes_to_notify_with_its_kinds_template_subject_and_body(app, make, notify):
    message = sent(queue_stage_changed(make.ApplicationFactory()))
    [(path, request)] = notify.received
    assert notify.refused == [] and path == "/v2/notifications/email"
    assert request == {"email_address": "ann@example.org", "template_id": EMAIL_TEMPLATE,
                       "reference": message.key,
                       "personalisation": {"subject": message.subject, "body": message.body}}
    assert (message.status, message.provider) == (MessageStatus.SENT, "notify")
    assert notify.answered_ids == [message.provider_id]


def test_a_kind_without_a_template_of_its_own_uses_the_default(app, notify):
    from assettransfer.models import Message

    message = Message(key="k1", kind="weekly_digest", to_name="Owen", to_address="o@example.org",
                      channel=Channel.EMAIL, subject="Digest", body="Nothing new.\n")
    NotifyChannel(app.config).send(message, None)
    assert notify.received[0][1]["template_id"] == DEFAULT_TEMPLATE


def test_a_letter_with_its_pdf_is_sent_as_a_precompiled_letter(
        app, notify, new_application, walk):  # noqa: F811
    application = walk(new_application("council-cat"), "eoi_submitted")
    [letter] = documents_of(application)
    notify.received.clear()  # what the walk sent
    message = sent(queue_stage_changed(
        application, to_address=POSTAL_ADDRESS, channel=Channel.LETTER,
        document_key=job_key(application.id, letter.kind, letter.version)))
    [(path, request)] = notify.received
    assert notify.refused == [] and path == "/v2/notifications/letter"
    assert set(request) == {"reference", "content"} and request["reference"] == message.key
    pdf = base64.b64decode(request["content"])
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert (message.status, message.provider_id) == (MessageStatus.SENT,
                                                     notify.answered_ids[-1])


def test_a_letter_without_a_pdf_goes_through_the_letter_template_to_its_address(
        app, make, notify):
    message = sent(queue_stage_changed(make.ApplicationFactory(), to_address=POSTAL_ADDRESS,
                                       channel=Channel.LETTER))
    [(path, request)] = notify.received
    assert notify.refused == [] and path == "/v2/notifications/letter"
    assert request["template_id"] == LETTER_TEMPLATE and request["reference"] == message.key
    assert request["personalisation"] == {
        "subject": message.subject, "body": message.body, "address_line_1": "Ann Lead",
        "address_line_2": "The Old Mill", "address_line_3": "Mill Lane",
        "address_line_4": "Exampletown", "address_line_5": "EX1 2AB"}
    assert message.status is MessageStatus.SENT


@pytest.mark.parametrize("address, reason", [
    ("EX1 2AB", "its address has 1 lines and Notify needs 2 to 6 under the name"),
    ("The Old Mill\nMill Lane\nExampletown", "'Exampletown', is not a UK postcode"),
])
def test_a_letter_notify_cannot_post_is_not_sent_and_says_why(app, make, notify, address,
                                                              reason):
    message = sent(queue_stage_changed(make.ApplicationFactory(), to_address=address,
                                       channel=Channel.LETTER))
    job = job_of(message)
    assert notify.received == [] and message.status is MessageStatus.QUEUED
    assert "a letter to Ann Lead cannot be posted by Notify" in job.last_error
    assert reason in job.last_error
    assert "it will fail again until the message or the settings are corrected" in job.last_error


@pytest.mark.parametrize("status, error, said, advice", [
    (400, "BadRequestError", "Can't send to this recipient using a team-only API key",
     "it will fail again until"),
    (429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 "
     "seconds", "it will be tried again"),
    (500, "Exception", "Internal server error", "it will be tried again"),
])
def test_notifys_answer_is_on_the_job_and_the_message_stays_queued(
        app, make, notify, status, error, said, advice):
    notify.answer_next(status, error, said)
    message = sent(queue_stage_changed(make.ApplicationFactory()))
    job = job_of(message)
    assert message.status is MessageStatus.QUEUED and job.status is JobStatus.PENDING
    assert f"GOV.UK Notify refused the e-mail ({status}): {error}: {said}" in job.last_error
    assert advice in job.last_error


def test_notify_out_of_reach_is_tried_again(app, make):
    app.config["NOTIFY_BASE_URL"] = f"http://127.0.0.1:{free_port()}"  # nothing sent yet
    message = sent(queue_stage_changed(make.ApplicationFactory()))
    job = job_of(message)
    assert message.status is MessageStatus.QUEUED and job.status is JobStatus.PENDING
    assert "GOV.UK Notify could not be reached to send the e-mail" in job.last_error
    assert "it will be tried again" in job.last_error


def test_a_key_notify_does_not_know_is_refused_with_notifys_reason(app, notify):
    from assettransfer.models import Message

    wrong = f"other-{SERVICE_ID}-00000000-0000-4000-8000-000000000000"
    channel = NotifyChannel(app.config | {"NOTIFY_API_KEY": wrong})
    message = Message(key="k2", kind="stage_changed", to_name="Ann", to_address="a@example.org",
                      channel=Channel.EMAIL, subject="S", body="B\n")
    with pytest.raises(Exception, match=r"refused the e-mail \(403\): AuthError: token: "
                                        r"Signature verification failed"):
        channel.send(message, None)
    assert notify.received == []


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path))


@pytest.mark.parametrize("settings, refusal", [
    ({"NOTIFY_API_KEY": "not-a-key"}, "NOTIFY_API_KEY must be the API key as GOV.UK Notify"),
    ({"NOTIFY_API_KEY": API_KEY, "NOTIFY_TEMPLATE_IDS": {"stage_changed": EMAIL_TEMPLATE}},
     'NOTIFY_TEMPLATE_IDS must have a "default" entry'),
    ({"NOTIFY_TEMPLATE_IDS": ["x"]}, "NOTIFY_TEMPLATE_IDS must be a JSON object"),
])
def test_notify_settings_that_would_fail_every_message_stop_the_app(instance, settings,
                                                                     refusal):
    with pytest.raises(ValueError, match=refusal):
        create_app({"TESTING": True} | settings)


def test_notify_template_ids_come_as_json_from_the_environment(instance, monkeypatch):
    monkeypatch.setenv("FLASK_NOTIFY_TEMPLATE_IDS", '{"default": "%s"}' % DEFAULT_TEMPLATE)
    assert create_app({"TESTING": True}).config["NOTIFY_TEMPLATE_IDS"] == {
        "default": DEFAULT_TEMPLATE}


def test_an_email_carrying_a_letter_gives_notify_the_pdf_to_link_to(
        app, notify, new_application, walk):  # noqa: F811
    application = walk(new_application("council-cat"), "eoi_submitted")
    [letter] = documents_of(application)
    notify.received.clear()  # what the walk sent
    sent(queue_stage_changed(application, to_address="owner@example.org",
                             document_key=job_key(application.id, letter.kind, letter.version)))
    [(path, request)] = notify.received
    assert notify.refused == [] and path == "/v2/notifications/email"
    upload = request["personalisation"]["link_to_file"]
    assert hashlib.sha256(base64.b64decode(upload["file"])).hexdigest() == letter.sha256
    assert upload["filename"].endswith(".pdf") and upload["confirm_email_before_download"]
