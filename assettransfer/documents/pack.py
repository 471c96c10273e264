"""The legal pack: one PDF the parties sign, bound to its SHA-256.

Order: cover, contents, every current issued document (issue order), the applicant's PDF
attachments, the manifest, the sign-off sheet. The contents and manifest give pack page numbers,
which depend on how long the front and back matter turn out, so the layout is rendered until the
page counts it assumed are the ones it got (usually once or twice).
"""

import io
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask import current_app
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, TextStringObject

from ..extensions import db
from ..models import Application, Attachment, Document, Event, Job, JobStatus, Role
from ..outbox import NotReady, add_job, freeze, open_jobs, thaw
from ..wording import humanise
from ..workflow.definition import RECORDS_TERMS
from .context import build_context, workflow_for
from .errors import RenderError
from .letters import render_html
from .party_signing import SIGNATORIES
from .pdf import render_pdf
from .records import (
    LEGAL_PACK,
    RENDER_DOCUMENT,
    current_documents,
    issued_version,
    job_key,
    next_version,
    now_for,
    read_document,
    read_stored,
    store_document,
)

MANIFEST_FORMAT = "assettransfer-legal-pack/1"
BUILD_LEGAL_PACK = "build_legal_pack"
SECTIONS = ("cover", "contents", "manifest", "sign_off")
# Keys of a decision's data that describe the transfer, for packs issued without explicit terms.
_TERM_NAMES = (
    "terms transfer_type term term_years price rent rent_or_price conditions offer_deadline"
)
TERM_KEYS = tuple(_TERM_NAMES.split())


@dataclass
class Part:
    number: int
    group: str  # "document" or "attachment"
    title: str
    subtitle: str
    sha256: str
    size: int
    pages: int
    reader: PdfReader
    record: dict
    first_page: int = 0  # 1-based, in the pack

    @property
    def page_range(self) -> str:
        last = self.first_page + self.pages - 1
        return str(self.first_page) if last == self.first_page else f"{self.first_page}–{last}"


@dataclass
class Group:
    title: str
    parts: list[Part]


@dataclass
class PackLayout:
    parts: list[Part]
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 1))

    def __post_init__(self):
        self.place()

    def place(self) -> None:
        page = self.counts["cover"] + self.counts["contents"] + 1
        for part in self.parts:
            part.first_page = page
            page += part.pages

    @property
    def groups(self) -> list[Group]:
        titles = {"document": "Documents issued", "attachment": "Applicant's attachments"}
        return [
            Group(title, [p for p in self.parts if p.group == group])
            for group, title in titles.items()
            if any(p.group == group for p in self.parts)
        ]

    def start(self, section: str) -> int:
        before = {
            "cover": 0,
            "contents": self.counts["cover"],
            "manifest": self.counts["cover"] + self.counts["contents"] + self.part_pages,
        }
        before["sign_off"] = before["manifest"] + self.counts["manifest"]
        return before[section] + 1

    def range(self, section: str) -> str:
        first, count = self.start(section), self.counts[section]
        return str(first) if count == 1 else f"{first}–{first + count - 1}"

    @property
    def part_pages(self) -> int:
        return sum(part.pages for part in self.parts)

    @property
    def total_pages(self) -> int:
        return sum(self.counts.values()) + self.part_pages


def jsonable(value):
    """Terms and payloads as JSON: dates in ISO form, money as strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def terms_from_events(application: Application) -> dict:
    """The transfer terms of the latest event whose payload carries any (a decision, usually)."""
    events = db.session.scalars(
        db.select(Event).where(Event.application_id == application.id).order_by(Event.seq.desc())
    )
    for event in events:
        payload = event.payload or {}
        if any(key in payload for key in TERM_KEYS):
            terms = {k: payload[k] for k in TERM_KEYS if k in payload and k != "terms"}
            nested = payload.get("terms")
            return (
                {**terms, **nested}
                if isinstance(nested, dict)
                else ({**terms, "terms": nested} if nested else terms)
            )
    return {}


def _document_parts(documents: list[Document], stage_labels: dict) -> list[Part]:
    parts = []
    for document in documents:
        data = read_document(document)
        reader = PdfReader(io.BytesIO(data))
        record = {
            "type": "document",
            "kind": document.kind,
            "title": document.title,
            "version": document.version,
            "stage": document.stage,
            "issued_at": document.issued_at.isoformat(),
            "sha256": document.sha256,
            "size": document.size,
            "pages": len(reader.pages),
        }
        stage = stage_labels.get(document.stage) or humanise(document.stage)
        subtitle = f"Version {document.version} · issued at stage: {stage}"
        parts.append(Part(
            number=0, group="document", title=document.title, subtitle=subtitle,
            sha256=document.sha256, size=document.size, pages=len(reader.pages), reader=reader,
            record=record,
        ))  # fmt: skip
    return parts


def _open_pdf(media_type: str, data: bytes) -> tuple[PdfReader | None, str]:
    """A reader for an uploaded PDF, or None and why it cannot be bound into the pack."""
    if media_type != "application/pdf" or not data.startswith(b"%PDF-"):
        return None, "not a PDF"
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return None, "encrypted PDF"
        len(reader.pages)  # walks the page tree: a broken file fails here, not mid-merge
    except Exception as error:  # noqa: BLE001  (an uploaded file can break a parser any way)
        return None, f"could not be read as a PDF ({type(error).__name__})"
    return reader, ""


def _attachment_parts(attachments: list[Attachment]) -> tuple[list[Part], list[dict]]:
    """PDF attachments to bind in, and the rest (listed by name and SHA-256 only)."""
    parts, listed = [], []
    for attachment in attachments:
        data = read_stored(attachment.stored_name, attachment.sha256)
        record = {
            "type": "attachment",
            "name": attachment.original_filename,
            "kind": attachment.kind.label,
            "media_type": attachment.media_type,
            "sha256": attachment.sha256,
            "size": attachment.size,
        }
        reader, reason = _open_pdf(attachment.media_type, data)
        if reader is None:
            listed.append({**record, "reason": reason})
            continue
        pages = len(reader.pages)
        parts.append(Part(
            number=0, group="attachment", title=attachment.original_filename,
            subtitle=attachment.kind.label, sha256=attachment.sha256, size=attachment.size,
            pages=pages, reader=reader, record={**record, "pages": pages},
        ))  # fmt: skip
    return parts, listed


def _parties(context: dict) -> dict:
    """The sign-off sheet: exactly the signatories the service asks for (``SIGNATORIES``), the
    council's first; a signatory's name is printed when the service already knows it."""
    lead = context["organisation"].lead_contact
    council = [{"role": label, "name": ""} for role, label in SIGNATORIES.items()
               if role is not Role.APPLICANT]
    group = [{"role": SIGNATORIES[Role.APPLICANT], "name": lead.name if lead else ""}]
    return {
        "authority_role": "The authority",
        "organisation_role": "The community body",
        "signatories": [
            {"party": context["authority"].name, "roles": council},
            {"party": context["organisation"].name, "roles": group},
        ],
    }


def _render_sections(app, context: dict, layout: PackLayout):
    front = render_pdf(
        app, render_html(app, "documents/legal_pack/front.html", context), anchors=("contents",)
    )
    back = render_pdf(
        app, render_html(app, "documents/legal_pack/back.html", context), anchors=("sign_off",)
    )
    if "contents" not in front.anchor_pages or "sign_off" not in back.anchor_pages:
        raise RenderError("legal pack sections are missing their anchors")
    measured = {
        "cover": front.anchor_pages["contents"],
        "contents": front.page_count - front.anchor_pages["contents"],
        "manifest": back.anchor_pages["sign_off"],
        "sign_off": back.page_count - back.anchor_pages["sign_off"],
    }
    return front, back, measured


def _is_signature(field) -> bool:
    return field.get_object().get("/FT") == "/Sig"


def _drop_signatures(writer: PdfWriter) -> None:
    """Take out the bound PDFs' signature fields (a letter's seal, a signed upload's): each
    covers its own file's bytes, not the pack's, so a viewer would show it broken. The pack has
    its own seal and lists each letter's SHA-256."""
    for page in writer.pages:
        annotations = page.get("/Annots")
        if annotations is not None:
            kept = [a for a in annotations.get_object() if not _is_signature(a)]
            page[NameObject("/Annots")] = ArrayObject(kept)
    form = writer.root_object.get("/AcroForm")
    if form is not None:
        kept = [f for f in form.get_object().get("/Fields", []) if not _is_signature(f)]
        if kept:
            form.get_object()[NameObject("/Fields")] = ArrayObject(kept)
        else:
            del writer.root_object["/AcroForm"]


def _merge(front, back, layout: PackLayout, manifest: dict, context: dict) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front.data)), import_outline=False)
    for part in layout.parts:
        start = len(writer.pages)
        writer.append(
            part.reader,
            import_outline=False,
            excluded_fields=["/Annots", "/B"] if part.group == "attachment" else (),
        )
        if part.group == "attachment":
            # Uploaded files are untrusted: page-level actions could run script in a viewer.
            for index in range(start, len(writer.pages)):
                writer.pages[index].pop(NameObject("/AA"), None)
    writer.append(PdfReader(io.BytesIO(back.data)), import_outline=False)
    _drop_signatures(writer)

    def mark(title, page, parent=None):
        return writer.add_outline_item(title=title, page_number=page - 1, parent=parent)

    mark("Cover", layout.start("cover"))
    mark("Contents", layout.start("contents"))
    for group in layout.groups:
        parent = mark(group.title, group.parts[0].first_page)
        for part in group.parts:
            mark(f"{part.number}. {part.title}", part.first_page, parent)
    mark("Manifest", layout.start("manifest"))
    mark("Sign-off sheet", layout.start("sign_off"))

    writer.add_attachment("manifest.json", json.dumps(manifest, indent=2).encode())
    writer.add_metadata(
        {
            "/Title": f"Legal pack {context['application']['reference']} "
                      f"(version {manifest['pack']['version']})",
            "/Author": context["authority"]["name"],
            "/Subject": f"{context['workflow']['title']}: {context['asset']['name']}",
            "/Creator": "assettransfer",
        }
    )
    writer.root_object[NameObject("/Lang")] = TextStringObject("en-GB")
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _terms_in_words(workflow, terms: dict) -> dict:
    """The terms with each choice given as its label (the consent relied on, not its code), as
    the form that recorded them words it."""
    fields = {spec.name: spec for action in getattr(workflow, "actions", {}).values()
              if action.has_effect(RECORDS_TERMS) for spec in action.fields}
    return {key: fields[key].in_words(value) if key in fields and fields[key].options else value
            for key, value in terms.items()}


def _members(application: Application) -> list[list]:
    """(kind, version) of each document the pack binds: every current document, in issue order,
    with a version still being prepared in place of the one it will supersede."""
    members = [[d.kind, d.version] for d in current_documents(application)
               if d.kind != LEGAL_PACK]
    for job in open_jobs(application.id, [RENDER_DOCUMENT]):
        kind, version = job.payload["kind"], job.payload["version"]
        if any(k == kind and v > version for k, v in members):
            continue
        members = [[k, v] for k, v in members if k != kind] + [[kind, version]]
    return members


def _snapshot(application: Application, event: Event | None, terms: dict) -> dict:
    """Everything the pack's own pages say, as it stands when the pack is ordered."""
    context = build_context(application, event, {})
    workflow, organisation, asset = context["workflow"], context["organisation"], context["asset"]
    return {
        "authority": asdict(context["authority"]),
        "application": {"reference": application.reference, "workflow": application.workflow,
                        "state": application.state},
        "organisation": {
            "name": organisation.name, "address": organisation.address,
            "postcode": organisation.postcode,
            "legal_form": {"label": organisation.legal_form.label},
            "charity_number": organisation.charity_number,
            "company_number": organisation.company_number},
        "asset": {"name": asset.name, "address": asset.address, "postcode": asset.postcode,
                  "title_number": asset.title_number, "uprn": asset.uprn,
                  "area_m2": asset.area_m2},
        "workflow": {"title": workflow.title},
        "stage_labels": {name: state.label for name, state in workflow.states.items()},
        "terms": terms,
        "terms_in_words": _terms_in_words(workflow, terms),
        "parties": _parties(context),
        "prepared_on": context["issued_on"],
    }


def issue_legal_pack(
    application: Application, event: Event | None, terms: dict | None = None
) -> Job:
    """Order a new legal pack of the case as it stands; once built it supersedes the current
    one. What it binds and says is fixed now; its PDF is built after the commit."""
    if event is not None and event.id is None:
        db.session.flush()
    terms = terms if terms is not None else terms_from_events(application)
    version = next_version(application, LEGAL_PACK)
    attachments = db.session.scalars(
        db.select(Attachment.id)
        .where(Attachment.application_id == application.id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    ).all()
    title = getattr(workflow_for(application).documents.get(LEGAL_PACK), "title", None) \
        or "Legal pack"
    return add_job(
        BUILD_LEGAL_PACK,
        key=job_key(application.id, LEGAL_PACK, version),
        label=f"{title} (version {version})",
        application_id=application.id,
        payload=freeze({
            "application_id": application.id, "version": version, "title": title,
            "stage": application.state, "event_id": getattr(event, "id", None),
            "issued_at": now_for(event), "documents": _members(application),
            "attachments": list(attachments), "snapshot": _snapshot(application, event, terms),
        }),
    )


def _bound_documents(application: Application, members: list) -> list[Document]:
    """The documents the pack was ordered with; raise ``NotReady`` while one is being rendered."""
    documents = []
    for kind, version in members:
        document = issued_version(application.id, kind, version)
        if document is None:
            job = db.session.scalar(db.select(Job).where(
                Job.key == job_key(application.id, kind, version)))
            if job is not None and job.status is JobStatus.FAILED:
                raise RenderError(f"{job.label} could not be rendered: retry it first")
            raise NotReady(f"{kind} version {version} is still being prepared")
        documents.append(document)
    return documents


def build_legal_pack(payload: dict) -> Document:
    """Build, store and record the pack ``issue_legal_pack`` ordered (once: a second run finds
    it built)."""
    order = thaw(payload)
    application = db.session.get(Application, order["application_id"])
    built = issued_version(application.id, LEGAL_PACK, order["version"])
    if built is not None:
        return built
    app = current_app._get_current_object()
    snapshot = order["snapshot"]
    parts = _document_parts(_bound_documents(application, order["documents"]),
                            snapshot["stage_labels"])
    attachments = db.session.scalars(
        db.select(Attachment).where(Attachment.id.in_(order["attachments"]))
        .order_by(Attachment.uploaded_at, Attachment.id)
    ).all()
    attachment_parts, listed = _attachment_parts(attachments)
    parts += attachment_parts
    for number, part in enumerate(parts, start=1):
        part.number = number

    version = order["version"]
    pack = {"version": version, "prepared_on": snapshot["prepared_on"]}
    layout = PackLayout(parts)
    page_context = {
        **snapshot,
        "layout": layout,
        "pack": pack,
        "terms": snapshot["terms_in_words"],
        "listed": listed,
    }
    for _ in range(4):
        front, back, measured = _render_sections(app, page_context, layout)
        if measured == layout.counts:
            break
        layout.counts = measured
        layout.place()
    else:
        raise RenderError("the legal pack's page numbers did not settle")

    manifest = {
        "format": MANIFEST_FORMAT,
        "application": snapshot["application"],
        "authority": snapshot["authority"]["name"],
        "organisation": snapshot["organisation"]["name"],
        "asset": {"name": snapshot["asset"]["name"],
                  "title_number": snapshot["asset"]["title_number"]},
        "pack": {"version": version, "prepared_on": snapshot["prepared_on"].isoformat()},
        "terms": jsonable(snapshot["terms"]),
        "sections": {name: [layout.start(name), layout.counts[name]] for name in SECTIONS},
        "items": [{"part": p.number, **p.record, "first_page": p.first_page} for p in parts],
        "listed_only": listed,
        "page_count": layout.total_pages,
    }
    data = _merge(front, back, layout, manifest, snapshot)
    if len(PdfReader(io.BytesIO(data)).pages) != layout.total_pages:
        raise RenderError("the legal pack's page count does not match its contents")
    return store_document(
        application,
        kind=LEGAL_PACK,
        title=order["title"],
        version=version,
        stage=order["stage"],
        data=data,
        page_count=layout.total_pages,
        event_id=order["event_id"],
        now=order["issued_at"],
        manifest=manifest,
    )
