"""Fixtures for the documents package: a stub workflow registry (only the attribute names the
workflow package promises), events and deadlines made by hand, and text extraction."""
import hashlib
import io
import uuid
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from assettransfer.documents.pack import jsonable
from assettransfer.extensions import db
from assettransfer.models import Deadline, Event

from .issuing import issue_documents
from .stubs import KINDS, DocumentSpec, stub_registry  # noqa: F401  (tests import them from here)


@pytest.fixture
def config_overrides():
    return {"AUTHORITY_NAME": "Exampleshire Council", "AUTHORITY_NATION": "england"}


@pytest.fixture
def workflows(app):
    app.extensions["workflows"] = stub_registry()
    return app.extensions["workflows"]


@pytest.fixture
def lead(make):
    return make.UserFactory(name="Morag Campbell")


@pytest.fixture
def officers(make):
    return [make.UserFactory(officer=True, name="Alex Officer"),
            make.UserFactory(officer=True, name="Sam Assessor")]


@pytest.fixture
def case(make, workflows, lead):
    """Make an application of a workflow with a lead contact, flushed."""

    def build(workflow="council-cat", state="submitted", **kwargs):
        organisation = make.OrganisationFactory(name="Friends of Riverside Park", lead=lead)
        return make.ApplicationFactory(
            workflow=workflow, state=state, organisation=organisation,
            submitted_at=datetime(2026, 9, 1, 10, tzinfo=UTC), **kwargs)

    return build


@pytest.fixture
def record_event(officers):
    """Append an Event row to an application's trail (the engine's job, done by hand here)."""

    def record(application, action, payload=None, actor=None, at=None):
        actor = actor or officers[0]
        seq = 1 + (db.session.scalar(
            db.select(db.func.max(Event.seq)).where(Event.application_id == application.id)) or 0)
        event = Event(
            application_id=application.id, seq=seq, actor_id=actor.id, actor_name=actor.name,
            actor_role=actor.role.value, action=action, from_state=None, to_state=application.state,
            at=at or datetime(2026, 11, 5, 12, tzinfo=UTC), comment="",
            payload=jsonable(payload or {}),
            prev_hash="0" * 64, hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        )
        db.session.add(event)
        db.session.flush()
        return event

    return record


@pytest.fixture
def add_deadline():
    def add(application, name, due_on, rule, starts_on=date(2026, 11, 5), event=None):
        row = Deadline(application_id=application.id, name=name, starts_on=starts_on,
                       due_on=due_on, rule=rule, event_id=event.id if event else None)
        db.session.add(row)
        db.session.flush()
        return row

    return add


def pdf_text(data: bytes) -> str:
    """All text of a PDF with whitespace collapsed, for `in` checks across line breaks."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def text_of():
    return pdf_text


@pytest.fixture
def letter(app, case, record_event):
    """An issued one-page letter (council-cat's acknowledgement of an expression of interest)."""
    application = case("council-cat", state="eoi_submitted")
    [document] = issue_documents(application, ["eoi_acknowledgement"],
                                 record_event(application, "submit_eoi"), {})
    return document
