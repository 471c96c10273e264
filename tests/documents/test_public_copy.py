"""The published copy of a letter (documents.public_copy): the same decision, reasons and terms,
without the personal data of individuals; made with the letter, verified, kept and retried."""
import hashlib
from datetime import date

import pytest
from jinja2 import UndefinedError
from sqlalchemy import select

from assettransfer.documents import get_storage, read_document
from assettransfer.documents.context import build_context
from assettransfer.documents.letters import jinja_env
from assettransfer.documents.pdf import render_pdf
from assettransfer.documents.public_copy import public_copy_context
from assettransfer.documents.records import read_public_copy
from assettransfer.extensions import db
from assettransfer.jobs.runner import run_job
from assettransfer.models import Document, Job, Representation
from assettransfer.models.types import utcnow
from assettransfer.outbox import set_dispatcher, thaw
from assettransfer.services import stored_files
from assettransfer.services.public import copy_policy

from .conftest import pdf_text
from .issuing import issue_documents

REASONS = "The pavilion is needed for the council's own sports programme until 2030."


@pytest.fixture
def group(case):
    """A case of a route, its group (Friends of Riverside Park, led by Morag Campbell) at an
    address that may be a person's."""

    def build(workflow, state):
        application = case(workflow, state=state)
        application.organisation.address = "12 Private Lane\nExampletown"
        application.organisation.postcode = "EX9 9ZZ"
        return application

    return build


def refused_decision(group, record_event):
    application = group("scotland-atr", "refused")
    event = record_event(application, "refuse", {"reasons": REASONS})
    return application, event


def test_the_copy_of_a_decision_notice_has_the_decision_and_reasons_but_no_person(
        case, record_event, group):
    application, event = refused_decision(group, record_event)
    [notice] = issue_documents(application, ["decision_notice"], event,
                               {"reasons": REASONS, "decision": "refused"},
                               copy_policy(application))

    copy = pdf_text(read_public_copy(notice))
    assert "Your request is refused." in copy and REASONS in copy
    assert "Dear Friends of Riverside Park," in copy
    assert ("Published copy with personal data removed. This is the copy, published on the "
            f"register of requests, of the decision notice version 1 for {application.reference}"
            ) in copy
    for personal in ("Morag Campbell", "12 Private Lane", "EX9 9ZZ", "Alex Officer"):
        assert personal not in copy
    assert "Community Asset Transfer team" in copy

    letter = pdf_text(read_document(notice))  # the letter itself is as it always was
    assert "Dear Morag Campbell," in letter and "12 Private Lane" in letter
    assert "Alex Officer" in letter and "Published copy" not in letter
    assert notice.public_sha256 != notice.sha256
    assert notice.public_stored_name.startswith(f"documents/{application.id}/decision_notice-"
                                                "public-v1-")


def test_the_same_frozen_content_gives_the_same_copy(app, case, record_event, group):
    application, event = refused_decision(group, record_event)
    [notice] = issue_documents(application, ["decision_notice"], event,
                               {"reasons": REASONS, "decision": "refused"},
                               copy_policy(application))
    order = thaw(db.session.scalar(select(Job.payload).where(Job.application_id
                                                             == application.id)))
    again = render_pdf(app, order["public_html"]).data
    # The seal is an incremental update: the stored copy is the rendered one, then the seal.
    stored = read_public_copy(notice)
    assert stored[:len(again)] == again and len(stored) > len(again)
    assert hashlib.sha256(stored).hexdigest() == notice.public_sha256


def test_a_letter_to_an_owner_names_no_party_in_its_copy(case, record_event, group):
    application = group("england-acv", "listed")
    event = record_event(application, "list", {
        "reasons": "A much-used village pub.", "owner_name": "Olive Owner",
        "owner_address": "3 Owner's Row", "occupier_name": "Oscar Occupier",
        "occupier_address": "The Bell Inn"})
    data = {"reasons": "A much-used village pub."}
    policy = copy_policy(application)
    [listing] = issue_documents(application, ["listing_notice"], event, data, policy)

    copy = pdf_text(read_public_copy(listing))
    assert "A much-used village pub." in copy
    assert "We send this notice separately to the owner, to the occupier and to the nominator" \
        in copy
    for personal in ("Olive Owner", "Oscar Occupier", "3 Owner's Row", "Morag Campbell"):
        assert personal not in copy
    assert "Olive Owner" in pdf_text(read_document(listing))


def test_only_the_kinds_the_services_publish_get_a_copy(case, record_event, group):
    application, event = refused_decision(group, record_event)
    policy = copy_policy(application)
    assert "decision_notice" in policy.kinds and "owner_notice" not in policy.kinds
    documents = issue_documents(application, ["decision_notice", "validation_notice"], event,
                                {"reasons": REASONS, "decision": "refused",
                                 "validation_date": "2026-09-03"}, policy)
    assert [d.has_public_copy for d in documents] == [True, False]


def test_a_superseded_letter_takes_its_copy_with_it(case, record_event, group):
    application, event = refused_decision(group, record_event)
    data = {"reasons": REASONS, "decision": "refused"}
    policy = copy_policy(application)
    [first] = issue_documents(application, ["decision_notice"], event, data, policy)
    [second] = issue_documents(application, ["decision_notice"], event, data, policy)
    db.session.refresh(first)
    assert not first.is_current and first.has_public_copy
    assert second.is_current and second.public_stored_name != first.public_stored_name


def test_the_copy_is_verified_and_kept_like_the_letter(app, case, record_event, group):
    application, event = refused_decision(group, record_event)
    [notice] = issue_documents(application, ["decision_notice"], event,
                               {"reasons": REASONS, "decision": "refused"},
                               copy_policy(application))
    storage = get_storage(app)
    assert (notice.public_stored_name, notice.public_sha256) in set(
        stored_files.recorded_files())
    assert stored_files.verify().intact
    assert stored_files.prune(grace_hours=0) == []
    assert storage.exists(notice.public_stored_name)

    path = storage.root / notice.public_stored_name
    path.write_bytes(path.read_bytes() + b"%")
    assert stored_files.verify().altered == [notice.public_stored_name]


@pytest.fixture
def held(app):
    """Commits hand their jobs to no one (as if the worker were down): the test runs them."""
    handed = []
    set_dispatcher(app, handed.extend)
    return handed


def test_a_copy_that_fails_to_render_fails_the_job_which_is_retried(
        app, case, record_event, group, held, monkeypatch):
    application, event = refused_decision(group, record_event)
    issue_documents(application, ["decision_notice"], event,
                    {"reasons": REASONS, "decision": "refused"}, copy_policy(application))
    real = render_pdf

    def copy_fails(app, html, anchors=()):
        if "Published copy" in html:
            raise OSError("disk full")
        return real(app, html, anchors)

    monkeypatch.setattr("assettransfer.documents.service.render_pdf", copy_fails)
    [job_id] = held
    assert run_job(job_id) == "retry"
    assert db.session.scalars(select(Document)).all() == []  # no letter without its copy
    assert list(get_storage(app).names()) == []

    monkeypatch.setattr("assettransfer.documents.service.render_pdf", real)
    db.session.get(Job, job_id).run_after = utcnow()
    db.session.commit()
    assert run_job(job_id) == "done"
    [notice] = db.session.scalars(select(Document)).all()
    assert notice.has_public_copy and "Published copy" in pdf_text(read_public_copy(notice))


def test_a_copy_template_that_reaches_for_a_person_fails_instead_of_publishing(
        app, group, record_event):
    application, event = refused_decision(group, record_event)
    db.session.add(Representation(application_id=application.id, from_name="Jo Neighbour",
                                  received_on=date(2026, 11, 20), text="Keep it open."))
    db.session.flush()
    context = public_copy_context(build_context(application, event, {}),
                                  copy_policy(application))
    env = jinja_env(app)
    assert env.from_string("{{ organisation.name }}").render(context) == \
        "Friends of Riverside Park"
    assert env.from_string("{{ representations[0].received_on }}").render(context) == \
        "2026-11-20"
    for reaching in ("{{ organisation.lead_contact.name }}", "{{ organisation.address }}",
                     "{{ application.organisation.name }}", "{{ representations[0].from_name }}",
                     "{{ event.actor_name }}"):
        with pytest.raises(UndefinedError):
            env.from_string(reaching).render(context)
