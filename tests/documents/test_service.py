"""issue_documents: versions, superseding, rows only with files, integrity on read."""
import hashlib
import io
import os
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from assettransfer.documents import (
    IntegrityError,
    RenderError,
    get_storage,
    read_document,
)
from assettransfer.documents.context import build_context
from assettransfer.extensions import db
from assettransfer.models import Document

from .conftest import DocumentSpec
from .issuing import issue_documents


def _stored_files(app) -> list[str]:
    root = Path(app.config["STORAGE_DIR"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_issue_records_a_row_and_a_matching_file(app, case, record_event):
    application = case("council-cat", state="eoi_submitted")
    event = record_event(application, "submit_eoi")
    [document] = issue_documents(application, ["eoi_acknowledgement"], event, {})

    data = get_storage(app).open(document.stored_name)
    assert document.kind == "eoi_acknowledgement"
    assert document.title == "Eoi acknowledgement"  # from workflow.documents[kind].title
    assert document.version == 1
    assert document.stage == "eoi_submitted"
    assert document.event_id == event.id
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.page_count == len(PdfReader(io.BytesIO(data)).pages)
    assert re.fullmatch(rf"documents/{application.id}/"
                        rf"eoi_acknowledgement-v1-{document.sha256[:8]}\.pdf",
                        document.stored_name)
    assert document.is_current


def test_reissue_supersedes_the_previous_version(app, case, record_event):
    application = case("council-cat")
    first = issue_documents(application, ["information_request"], record_event(application, "ask"),
                            {"missing_items": ["Accounts"]})[0]
    application.state = "awaiting_information"
    second = issue_documents(application, ["information_request"], record_event(application, "ask"),
                             {"missing_items": ["Accounts", "Business plan"]})[0]
    third_kind = issue_documents(application, ["eoi_acknowledgement"],
                                 record_event(application, "x"), {})[0]

    assert (first.version, second.version) == (1, 2)
    assert first.superseded_at is not None and not first.is_current
    assert second.is_current and third_kind.is_current
    assert second.stage == "awaiting_information"
    assert first.stored_name != second.stored_name
    assert "Business plan" in PdfReader(io.BytesIO(read_document(second))).pages[0].extract_text()


def test_several_kinds_in_one_action(case, record_event):
    application = case("scotland-atr")
    event = record_event(application, "notify")
    documents = issue_documents(application, ["public_notice", "owner_notice", "public_notice"],
                                event, {})
    assert [d.kind for d in documents] == ["public_notice", "owner_notice"]


def test_a_failed_render_writes_no_file_and_no_row(app, case, record_event, workflows):
    workflows["council-cat"].documents["no_template"] = DocumentSpec("no_template", "Nothing")
    application = case("council-cat")
    event = record_event(application, "submit_eoi")
    before = _stored_files(app)
    with pytest.raises(RenderError):
        issue_documents(application, ["eoi_acknowledgement", "no_template"], event, {})
    assert _stored_files(app) == before
    assert db.session.scalars(db.select(Document)).all() == []


def test_an_unknown_kind_is_refused(case, record_event):
    application = case("council-cat")
    with pytest.raises(RenderError, match="no document kind"):
        issue_documents(application, ["../../etc/passwd"], record_event(application, "x"), {})


def test_read_document_detects_a_changed_file(app, case, record_event):
    application = case("council-cat")
    [document] = issue_documents(application, ["eoi_acknowledgement"],
                                 record_event(application, "x"), {})
    path = get_storage(app).path_for(document.stored_name)
    os.chmod(path, 0o600)
    path.write_bytes(path.read_bytes() + b"%tampered")
    with pytest.raises(IntegrityError):
        read_document(document)


def test_deadlines_get_workflow_labels_and_the_open_row_wins(case, record_event, add_deadline):
    application = case("scotland-atr")
    event = record_event(application, "validate")
    old = add_deadline(application, "decision", date(2027, 5, 4), "6 months")
    old.superseded_at = event.at
    add_deadline(application, "decision", date(2027, 6, 30), "Extended by agreement", event=event)
    context = build_context(application, event, {})
    view = context["deadlines"]["decision"]
    assert view.label == "Our decision is due"
    assert view.due_on == date(2027, 6, 30) and view.is_open and view.created_by_event


def test_context_has_what_templates_use(case, record_event, lead):
    application = case("council-cat")
    event = record_event(application, "approve", {"decision": "agreed"})
    context = build_context(application, event, {"decision": "agreed"})
    assert context["addressee"].name == "Morag Campbell"
    assert context["addressee"].organisation == "Friends of Riverside Park"
    assert context["addressee"].address_lines == ["1 Main Street", "Exampletown", "EX1 2AB"]
    assert context["authority"].address_lines[0] == "Council Offices"
    assert context["outcome"] == "agreed"
    assert context["issued_on"] == date(2026, 11, 5)
    assert context["workflow"].title == "Community asset transfer"
