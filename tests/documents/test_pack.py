"""The legal pack: page count rule, bookmarks, manifest (printed and embedded), superseding."""
import hashlib
import io
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assettransfer.documents import (
    current_legal_pack,
    get_storage,
    legal_pack_in_preparation,
    read_document,
)
from assettransfer.extensions import db
from assettransfer.models import Attachment, AttachmentKind, JobStatus

from .issuing import issue_documents, issue_legal_pack

TERMS = {"transfer_type": "lease", "term_years": 35, "rent_or_price": Decimal(1),
         "conditions": "Keep the park open to the public\nInsure the pavilion",
         "reasons": "Scored well"}


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def attach(app, lead):
    def add(application, name, data, media_type, kind=AttachmentKind.OTHER):
        digest = hashlib.sha256(data).hexdigest()
        stored = f"attachments/{application.id}/{digest[:16]}"
        get_storage(app).save(stored, data)
        row = Attachment(application_id=application.id, kind=kind, original_filename=name,
                         stored_name=stored, media_type=media_type, size=len(data),
                         sha256=digest, uploaded_by_id=lead.id)
        db.session.add(row)
        db.session.flush()
        return row

    return add


@pytest.fixture
def decided(case, record_event, attach):
    """A council-cat application with letters (one re-issued) and three kinds of attachment."""
    application = case("council-cat")
    issue_documents(application, ["eoi_acknowledgement"],
                    record_event(application, "submit_eoi"), {})
    issue_documents(application, ["eoi_outcome"], record_event(application, "accept_eoi"), {})
    issue_documents(application, ["information_request"], record_event(application, "ask"),
                    {"missing_items": ["Accounts"]})
    issue_documents(application, ["information_request"], record_event(application, "ask"),
                    {"missing_items": ["Accounts", "Insurance"]})
    application.state = "approved"
    approve = record_event(application, "approve", TERMS)
    issue_documents(application, ["decision_notice", "heads_of_terms"], approve, TERMS)
    attach(application, "constitution.pdf", blank_pdf(2), "application/pdf",
           AttachmentKind.CONSTITUTION)
    attach(application, "support-letters.txt", b"We support the group.", "text/plain")
    attach(application, "broken.pdf", b"%PDF-1.4 this is not really a PDF", "application/pdf")
    return application


def test_pack_contents_order_and_page_count(decided, record_event, text_of):
    pack = issue_legal_pack(decided, record_event(decided, "prepare_pack"), terms=TERMS)
    data = read_document(pack)
    if os.environ.get("DOCUMENTS_DUMP_DIR"):  # to look at the pack: pdftoppm it
        Path(os.environ["DOCUMENTS_DUMP_DIR"], "legal_pack.pdf").write_bytes(data)
    reader = PdfReader(io.BytesIO(data))
    manifest = pack.manifest
    sections = manifest["sections"]
    part_pages = sum(item["pages"] for item in manifest["items"])

    assert len(reader.pages) == pack.page_count == manifest["page_count"]
    assert pack.page_count == (sections["cover"][1] + sections["contents"][1] + part_pages
                               + sections["manifest"][1] + sections["sign_off"][1])
    kinds = [item.get("kind") for item in manifest["items"] if item["type"] == "document"]
    assert kinds == ["eoi_acknowledgement", "eoi_outcome", "information_request",
                     "decision_notice", "heads_of_terms"]
    assert ([i["name"] for i in manifest["items"] if i["type"] == "attachment"]
            == ["constitution.pdf"])
    assert {i["name"] for i in manifest["listed_only"]} == {"support-letters.txt", "broken.pdf"}
    # parts sit where the manifest says: each part's first page has its own "Page 1 of N" footer
    for item in manifest["items"]:
        if item["type"] == "document":
            first = reader.pages[item["first_page"] - 1].extract_text()
            assert f"Page 1 of {item['pages']}" in first

    text = text_of(data)
    for phrase in ["Legal completion pack", "Exampleshire Council", "Friends of Riverside Park",
                   "Keep the park open to the public", "£1.00", "Contents", "Manifest",
                   "Sign-off sheet", "Lead contact", "Morag Campbell", "Legal officer",
                   f"Pack page {pack.page_count} of {pack.page_count}"]:
        assert phrase.lower() in text.lower(), phrase
    # Exactly the signatories the service asks for: nobody the service never asks to sign.
    sheet = text.lower().split("sign-off sheet")[-1]
    for phrase in ["Second authorised signatory", "Decision maker"]:
        assert phrase.lower() not in sheet, phrase


def test_manifest_hashes_match_the_stored_files(app, decided, record_event):
    pack = issue_legal_pack(decided, record_event(decided, "prepare_pack"), terms=TERMS)
    reader = PdfReader(io.BytesIO(read_document(pack)))
    from assettransfer.documents.records import current_documents

    current = {d.kind: d for d in current_documents(decided) if d.kind != "legal_pack"}
    for item in pack.manifest["items"]:
        if item["type"] == "document":
            document = current[item["kind"]]
            assert (item["sha256"] == document.sha256
                    == hashlib.sha256(read_document(document)).hexdigest())
            assert item["version"] == document.version
        else:
            stored = db.session.scalar(
                db.select(Attachment).filter_by(original_filename=item["name"]))
            assert (item["sha256"]
                    == hashlib.sha256(get_storage(app).open(stored.stored_name)).hexdigest())
    assert current["information_request"].version == 2  # the superseded v1 is not in the pack

    embedded = json.loads(reader.attachments["manifest.json"][0])
    assert embedded == pack.manifest
    sha_text = " ".join(p.extract_text()
                        for p in reader.pages[-pack.manifest["sections"]["manifest"][1] - 1:])
    for item in pack.manifest["items"]:
        assert item["sha256"] in sha_text.replace("\n", "")


def test_pack_sha256_is_the_stored_files(app, decided, record_event):
    pack = issue_legal_pack(decided, record_event(decided, "prepare_pack"), terms=TERMS)
    stored = get_storage(app).open(pack.stored_name)
    assert pack.sha256 == hashlib.sha256(stored).hexdigest()
    assert pack.size == len(stored)
    assert pack.kind == "legal_pack" and pack.title == "Legal completion pack"
    reader = PdfReader(io.BytesIO(stored))
    assert reader.metadata.author == "Exampleshire Council"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_bookmarks_for_every_part(decided, record_event):
    pack = issue_legal_pack(decided, record_event(decided, "prepare_pack"), terms=TERMS)
    reader = PdfReader(io.BytesIO(read_document(pack)))

    def flatten(outline):
        for entry in outline:
            if isinstance(entry, list):
                yield from flatten(entry)
            else:
                yield entry.title, reader.get_destination_page_number(entry) + 1

    marks = dict(flatten(reader.outline))
    sections = pack.manifest["sections"]
    assert marks["Cover"] == 1
    assert marks["Contents"] == sections["contents"][0]
    assert marks["Manifest"] == sections["manifest"][0]
    assert marks["Sign-off sheet"] == sections["sign_off"][0]
    for item in pack.manifest["items"]:
        title = item["title"] if item["type"] == "document" else item["name"]
        assert marks[f"{item['part']}. {title}"] == item["first_page"]
    assert {"Documents issued", "Applicant's attachments"} <= set(marks)


def test_a_new_pack_supersedes_the_old_one(decided, record_event):
    first = issue_legal_pack(decided, record_event(decided, "prepare_pack"), terms=TERMS)
    second = issue_legal_pack(decided, record_event(decided, "prepare_pack"), terms=TERMS)
    assert (first.version, second.version) == (1, 2)
    assert first.superseded_at is not None
    assert current_legal_pack(decided) is second
    assert "legal_pack" not in [i.get("kind") for i in second.manifest["items"]]


def test_terms_default_to_the_latest_decision(decided, record_event):
    pack = issue_legal_pack(decided, record_event(decided, "prepare_pack"))
    assert pack.manifest["terms"]["transfer_type"] == "lease"
    assert pack.manifest["terms"]["rent_or_price"] == "1"


def test_a_changed_attachment_stops_the_pack(app, decided, record_event):
    attachment = db.session.scalar(
        db.select(Attachment).filter_by(original_filename="constitution.pdf"))
    path = get_storage(app).path_for(attachment.stored_name)
    path.write_bytes(blank_pdf(3))
    assert issue_legal_pack(decided, record_event(decided, "prepare_pack"), terms=TERMS) is None
    order = legal_pack_in_preparation(decided)
    assert order.status is JobStatus.PENDING and order.attempts == 1
    assert order.last_error.startswith(f"IntegrityError: {attachment.stored_name}: stored SHA-256")
    assert current_legal_pack(decided) is None


def test_no_pack_yet(case):
    assert current_legal_pack(case("council-cat")) is None

