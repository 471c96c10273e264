"""Letters and legal packs leave the action's transaction: the action commits the letter's content
and an outbox job; the PDF, its hash and its row are made after the commit, retried on failure,
once however often the job runs."""
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from assettransfer.documents import issue_documents
from assettransfer.extensions import db
from assettransfer.jobs import run_here
from assettransfer.jobs.runner import due_jobs, run_job
from assettransfer.messaging import SEND_MESSAGE
from assettransfer.models import Document, Job, JobStatus
from assettransfer.models.types import utcnow
from assettransfer.outbox import set_dispatcher
from assettransfer.services.actions import take_action
from assettransfer.services.errors import ValidationFailed
from assettransfer.services.operations import documents_being_prepared, failed_jobs, retry_job
from assettransfer.services.reads import documents_of, read_document
from assettransfer.services.transaction import doom, transaction


def text_of(document: Document) -> str:
    pages = PdfReader(io.BytesIO(read_document(document))).pages
    return "".join(page.extract_text() for page in pages)


@pytest.fixture
def held(app):
    """Commits hand their document jobs to no one (as if the worker were down): the test runs
    them. The messages the actions send are sent at once, out of the way."""
    handed = []

    def dispatch(ids):
        with app.app_context():  # the committing session is finishing its commit
            kinds = dict(db.session.execute(select(Job.id, Job.kind).where(Job.id.in_(ids))).all())
        run_here(app, [job_id for job_id in ids if kinds[job_id] == SEND_MESSAGE])
        handed.extend(job_id for job_id in ids if kinds[job_id] != SEND_MESSAGE)

    set_dispatcher(app, dispatch)
    return handed


@pytest.fixture
def breaking_renders(monkeypatch):
    def fail(app, html, anchors=()):
        raise RuntimeError("the renderer is out of memory")
    monkeypatch.setattr("assettransfer.documents.service.render_pdf", fail)


def jobs_of(application) -> list[Job]:
    """The jobs that make the application's documents."""
    return list(db.session.scalars(select(Job).where(Job.application_id == application.id,
                                                     Job.kind != SEND_MESSAGE)
                                   .order_by(Job.id)))


def submit_eoi(people, application):
    with transaction():
        take_action(people.applicant, application, "submit_eoi")


def test_the_action_commits_the_order_and_the_letter_is_made_after_it(new_application, people,
                                                                     held):
    application = new_application("council-cat")
    submit_eoi(people, application)
    [job] = jobs_of(application)
    assert (job.kind, job.status, held) == ("render_document", JobStatus.PENDING, [job.id])
    assert application.state == "eoi_submitted" and documents_of(application) == []
    assert [j.label for j in documents_being_prepared(people.applicant, application)] == [
        "Acknowledgement of your expression of interest (version 1)"]

    assert run_job(job.id) == "done"
    db.session.expire_all()
    [document] = documents_of(application)
    assert (document.kind, document.version, document.stage) == (
        "eoi_acknowledgement", 1, "eoi_submitted")
    assert job.status is JobStatus.DONE and job.attempts == 1
    assert documents_being_prepared(people.applicant, application) == []


def test_in_the_embedded_default_the_letter_is_there_when_the_request_ends(new_application,
                                                                         people):
    application = new_application("council-cat")
    submit_eoi(people, application)
    [document] = documents_of(application)
    assert document.kind == "eoi_acknowledgement" and len(document.sha256) == 64


def test_a_refused_action_orders_nothing(new_application, people, held):
    application = new_application("council-cat")
    with transaction():
        take_action(people.applicant, application, "submit_eoi")
        doom()
    assert jobs_of(application) == [] and held == []


def test_the_letter_says_what_was_true_when_it_was_ordered(new_application, people, held):
    application = new_application("council-cat")
    submit_eoi(people, application)
    ordered_for = people.organisation.name
    people.organisation.name = "Renamed Before The Worker Ran"
    db.session.commit()
    run_job(held[0])
    text = " ".join(text_of(documents_of(application)[0]).split())
    assert ordered_for in text and "Renamed Before" not in text


def test_running_a_job_twice_makes_one_document(new_application, people, held):
    application = new_application("council-cat")
    submit_eoi(people, application)
    assert [run_job(held[0]), run_job(held[0])] == ["done", "skipped"]
    job = db.session.get(Job, held[0])
    job.status = JobStatus.PENDING  # a redelivered message after the work was committed
    db.session.commit()
    assert run_job(job.id) == "done"
    assert len(documents_of(application)) == 1


def test_a_job_held_by_a_live_worker_is_left_alone_and_one_whose_worker_died_is_taken(
        new_application, people, held):
    application = new_application("council-cat")
    submit_eoi(people, application)
    job = db.session.get(Job, held[0])
    job.status, job.leased_until = JobStatus.RUNNING, utcnow() + timedelta(minutes=5)
    db.session.commit()
    assert run_job(job.id) == "skipped" and due_jobs() == []
    job.leased_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert due_jobs() == [job.id]
    assert run_job(job.id) == "done" and len(documents_of(application)) == 1


def test_a_render_failure_changes_no_state_and_is_retried_with_backoff(
        app, new_application, people, held, breaking_renders):
    application = new_application("council-cat")
    submit_eoi(people, application)
    before = utcnow()
    assert run_job(held[0]) == "retry"
    job = db.session.get(Job, held[0])
    assert application.state == "eoi_submitted" and documents_of(application) == []
    assert job.status is JobStatus.PENDING and job.attempts == 1
    assert job.last_error == "RuntimeError: the renderer is out of memory"
    base = app.config["JOBS_RETRY_BASE_SECONDS"]
    assert before + timedelta(seconds=base) <= job.run_after
    assert due_jobs() == []  # not before its time
    job.run_after = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert run_job(job.id) == "retry"
    db.session.refresh(job)
    assert job.run_after >= utcnow() + timedelta(seconds=base * 4 - 5)  # four times longer


def test_after_the_last_attempt_the_job_fails_for_admins_to_retry(
        app, monkeypatch, new_application, people, held, breaking_renders):
    application = new_application("council-cat")
    submit_eoi(people, application)
    for _ in range(app.config["JOBS_MAX_ATTEMPTS"]):
        outcome = run_job(held[0])
    job = db.session.get(Job, held[0])
    assert outcome == "failed" and job.status is JobStatus.FAILED
    assert failed_jobs(people.admin) == [job]
    assert documents_being_prepared(people.officer, application) == [job]
    assert documents_being_prepared(people.applicant, application) == []
    with pytest.raises(Exception, match="administrator"):
        failed_jobs(people.officer)

    monkeypatch.undo()
    held.clear()
    with transaction():
        retry_job(people.admin, job.id)
    assert held == [job.id]
    assert run_job(job.id) == "done" and len(documents_of(application)) == 1


def test_the_pack_waits_for_the_letters_it_binds(new_application, people, walk, held):
    application = walk(new_application("council-cat"), "heads_of_terms")
    for job_id in list(held):
        run_job(job_id)
    held.clear()
    with transaction():
        take_action(people.applicant, application, "agree_heads_of_terms")
    with transaction():
        take_action(people.legal, application, "issue_legal_pack")
    orders = {db.session.get(Job, job_id).kind: job_id for job_id in held}
    pack_order = db.session.get(Job, orders["build_legal_pack"])
    letters = [job_id for job_id in held if job_id != pack_order.id]
    assert letters, "agreeing heads of terms issues a letter the pack must bind"

    assert run_job(pack_order.id) == "waiting"
    db.session.refresh(pack_order)
    assert pack_order.status is JobStatus.PENDING and pack_order.attempts == 0
    with pytest.raises(ValidationFailed) as refused:
        with transaction():
            take_action(people.applicant, application, "sign",
                        data={"pack_sha256": "0" * 64, "full_name": "Ann Lead",
                              "password": "correct horse battery"})
    assert "being prepared" in str(refused.value.errors)

    for job_id in letters:
        assert run_job(job_id) == "done"
    assert run_job(pack_order.id) == "done"
    pack = db.session.scalar(select(Document).where(Document.application_id == application.id,
                                                    Document.kind == "legal_pack"))
    bound = {(item["kind"], item["version"]) for item in pack.manifest["items"]
             if item["type"] == "document"}
    for job_id in letters:
        payload = db.session.get(Job, job_id).payload
        assert (payload["kind"], payload["version"]) in bound


def test_versions_are_reserved_when_ordered_and_may_be_rendered_out_of_order(
        new_application, people, held):
    application = new_application("council-cat")
    submit_eoi(people, application)
    with transaction():
        [again] = issue_documents(application, ["eoi_acknowledgement"], None, {})
    first, second = held
    assert again.id == second and again.key.endswith(":eoi_acknowledgement:000002")
    assert run_job(second) == "done" and run_job(first) == "done"
    versions = {d.version: d for d in documents_of(application)}
    assert versions[2].is_current and not versions[1].is_current
    assert versions[1].superseded_at == versions[2].issued_at
