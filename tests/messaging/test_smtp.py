"""E-mail by SMTP to a real server: what the outbox sends arrives whole, once; a server that is
down or hangs leaves the message queued and its job to be tried again."""
import hashlib
import ssl
import subprocess
from email.utils import parseaddr

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from assettransfer.documents.records import job_key
from assettransfer.extensions import db
from assettransfer.jobs.runner import run_job
from assettransfer.models import Job, JobStatus, MessageStatus
from assettransfer.services.messages import queue_message
from assettransfer.services.operations import retry_job
from assettransfer.services.reads import documents_of
from assettransfer.services.transaction import transaction
from tests.workflow.conftest import asset, new_application, people, walk  # noqa: F401

from .smtp_server import HOST, free_port, silent_server, smtp_server

SENDER = "Test Council <assets@test-council.gov.uk>"


@pytest.fixture
def inbox():
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def config_overrides(inbox):
    return {"MAIL_SERVER": HOST, "MAIL_PORT": inbox.port, "MAIL_DEFAULT_SENDER": SENDER,
            "MAIL_TIMEOUT": 2}


def queue_stage_changed(application, to_address="ann@example.org", **options):
    with transaction():
        return queue_message(
            "stage_changed", key=f"stage:{application.id}:{to_address}", to_name="Ann Lead",
            to_address=to_address, application=application,
            context={"to_name": "Ann Lead", "application": application,
                     "asset": application.asset, "stage": "Expression of interest sent",
                     "next_steps": "We will reply within 20 working days.",
                     "url": f"https://assets.example.gov.uk/applications/{application.id}"},
            **options)


def job_of(message) -> Job:
    return db.session.query(Job).filter_by(key=f"message:{message.id}").one()


def test_the_outbox_sends_the_message_to_the_smtp_server_after_the_commit(
        app, make, inbox):
    application = make.ApplicationFactory()
    message = queue_stage_changed(application)  # its job ran after the commit
    db.session.refresh(message)
    [email] = inbox.messages()
    [(mail_from, recipients, _)] = inbox.envelopes
    assert (mail_from, recipients) == ("assets@test-council.gov.uk", ["ann@example.org"])
    assert email["To"] == "Ann Lead <ann@example.org>" and email["From"] == SENDER
    assert email["Subject"] == f"{application.reference}: Expression of interest sent"
    body = email.get_content()
    assert "has reached a new stage: Expression of interest sent" in body
    assert "within 20 working days" in body and application.asset.name in body
    assert not email.is_multipart()  # no attachment without a letter
    assert (message.status, message.provider) == (MessageStatus.SENT, "smtp")
    assert message.provider_id == email["Message-ID"]
    assert parseaddr(email["Message-ID"])[1].endswith("@test-council.gov.uk")


def test_a_message_sent_again_keeps_its_message_id(app, make, inbox):
    """A retry after a send the job could not record carries the same Message-ID, so the
    recipient's mail system can tell the copy."""
    from assettransfer.messaging.smtp import SmtpChannel

    message = queue_stage_changed(make.ApplicationFactory())
    channel = SmtpChannel(app.config)
    assert channel.send(message, None) == message.provider_id
    assert [email["Message-ID"] for email in inbox.messages()] == [message.provider_id] * 2


def test_a_letter_to_a_party_without_an_account_is_attached_as_its_pdf(
        app, inbox, new_application, walk):  # noqa: F811
    application = walk(new_application("council-cat"), "eoi_submitted")
    [letter] = documents_of(application)
    message = queue_stage_changed(
        application, to_address="owner@example.org",
        document_key=job_key(application.id, letter.kind, letter.version))
    db.session.refresh(message)
    assert message.status is MessageStatus.SENT
    [email] = [email for email in inbox.messages()
               if email["To"].addresses[0].addr_spec == "owner@example.org"]
    [attached] = list(email.iter_attachments())
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_filename().endswith(".pdf")
    pdf = attached.get_content()
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256
    assert "reached a new stage" in email.get_body(("plain",)).get_content()


@pytest.mark.parametrize("server, reason", [("down", "ConnectionRefusedError"),
                                            ("hangs", "timed out")])
def test_a_dead_mail_server_leaves_the_message_queued_and_its_job_to_retry(
        app, make, server, reason):
    app.config["MAIL_TIMEOUT"] = 0.5  # the app has sent nothing yet: its channel is made anew
    with silent_server() as hanging_port:
        app.config["MAIL_PORT"] = free_port() if server == "down" else hanging_port
        message = queue_stage_changed(make.ApplicationFactory())
    db.session.refresh(message)
    job = job_of(message)
    assert message.status is MessageStatus.QUEUED and message.provider_id is None
    assert (job.status, job.attempts) == (JobStatus.PENDING, 1) and job.run_after is not None
    assert f"SMTP server {HOST}:{app.config['MAIL_PORT']}" in job.last_error
    assert reason in job.last_error and "it will be tried again" in job.last_error


def test_an_address_the_server_refuses_is_not_sent_and_says_it_will_fail_again(
        app, make, inbox):
    inbox.unknown.add("gone@example.org")
    message = queue_stage_changed(make.ApplicationFactory(), to_address="gone@example.org")
    db.session.refresh(message)
    assert message.status is MessageStatus.QUEUED and inbox.envelopes == []
    last_error = job_of(message).last_error
    assert "refused gone@example.org: 550 5.1.1 No such user here" in last_error
    assert "it will fail again until the message or the settings are corrected" in last_error


def test_a_message_whose_last_try_failed_shows_as_not_sent_until_a_retry_sends_it(
        app, make, inbox, people):  # noqa: F811
    app.config["MAIL_PORT"] = free_port()  # down
    message = queue_stage_changed(make.ApplicationFactory())
    job = job_of(message)
    for _ in range(app.config["JOBS_MAX_ATTEMPTS"] - 1):
        job.status = JobStatus.PENDING
        db.session.commit()
        run_job(job.id)
    db.session.refresh(message)
    assert job.status is JobStatus.FAILED and message.status is MessageStatus.FAILED
    app.config["MAIL_PORT"] = inbox.port
    app.extensions.pop("assettransfer.messaging.channels")  # the server is back, elsewhere
    with transaction():
        retry_job(people.admin, job.id)
    db.session.refresh(message)
    assert message.status is MessageStatus.SENT and len(inbox.envelopes) == 1


@pytest.fixture
def certificate(tmp_path, monkeypatch):
    """A certificate for 127.0.0.1 and its key (made by the openssl command), trusted by this
    process's default TLS context as a mail server's certificate from a public CA would be."""
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-subj", "/CN=inbox.test", "-addext", f"subjectAltName=IP:{HOST}",
         "-days", "1", "-keyout", str(key_file), "-out", str(cert_file)],
        check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    return cert_file, key_file


@pytest.fixture
def tls_inbox(certificate):
    """A server that takes mail only after STARTTLS and a login as relay / relay-password."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)

    def authenticate(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data == LoginPassword(b"relay", b"relay-password"),
                          auth_data=auth_data)

    with smtp_server(tls_context=context, require_starttls=True, auth_required=True,
                     authenticator=authenticate) as inbox:
        yield inbox


def test_starttls_and_login_when_configured(app, make, tls_inbox):
    app.config.update(MAIL_PORT=tls_inbox.port, MAIL_USE_TLS=True, MAIL_USERNAME="relay",
                      MAIL_PASSWORD="relay-password")  # before the app's first message
    message = queue_stage_changed(make.ApplicationFactory())
    db.session.refresh(message)
    assert message.status is MessageStatus.SENT
    assert tls_inbox.sessions == [(True, "relay")]  # over TLS, signed in


def test_a_message_to_something_that_is_not_an_email_address_says_so(app, make, inbox):
    message = queue_stage_changed(make.ApplicationFactory(), to_address="no-at-sign")
    db.session.refresh(message)
    assert message.status is MessageStatus.QUEUED and inbox.envelopes == []
    assert "'no-at-sign' is not an e-mail address to send to" in job_of(message).last_error
