"""What the services call when an action is taken, inside its transaction (flush, never commit).

    issue_documents(application, kinds, event, data, policy) -> list[Job]
    issue_legal_pack(application, event, terms=None) -> Job
    current_legal_pack(application) -> Document | None
    read_document(document) -> bytes
    sign_pack(document, signer) -> str     a party's PDF signature added to the pack (party_signing)

Issuing a document fixes its content in the action's transaction (the letter's HTML, or what a
legal pack is made of) and orders the PDF from the outbox: the PDF, its hash and its row are made
after the commit, outside the transaction and its locks (``documents.jobs``). A letter that lacks
a fact the law requires it to state raises (``DocumentError`` subclasses) while the action can
still be refused, so the action's transaction rolls back with it.
"""

from dataclasses import replace

from flask import current_app

from ..extensions import db
from ..models import Application, Document, Event, Job
from ..outbox import add_job, freeze, open_jobs, thaw
from ..wording import as_date, humanise
from .context import build_context, workflow_for
from .errors import RenderError
from .letters import DocumentInfo, Replacement, letter_html
from .pack import BUILD_LEGAL_PACK, build_legal_pack, issue_legal_pack
from .party_signing import SIGNATORIES, PartySigner, sign_pack
from .pdf import render_pdf
from .public_copy import NO_COPIES, CopyPolicy, public_copy_context
from .records import (
    LEGAL_PACK,
    RENDER_DOCUMENT,
    current_documents,
    issued_version,
    job_key,
    next_version,
    now_for,
    read_document,
    replaced_version,
    store_document,
)

__all__ = ["JOB_HANDLERS", "SIGNATORIES", "PartySigner", "current_legal_pack", "issue_documents",
           "issue_legal_pack", "legal_pack_in_preparation", "read_document", "sign_pack"]


def issue_documents(
    application: Application, kinds: list[str], event: Event | None, data: dict | None,
    policy: CopyPolicy = NO_COPIES,
) -> list[Job]:
    """Write each kind's letter for ``application`` after ``event``'s transition and order its PDF.

    Every letter is written before any is ordered, so one bad template orders nothing. Each new
    version supersedes the current version of the same kind once it is rendered. A kind addressed
    to a party (``to``) goes to that party, and is not issued when the party gets no letter. A
    kind ``policy`` publishes also gets its published copy, written from the same context now,
    so the letter and its copy say the same thing however late they are rendered.
    """
    kinds = list(dict.fromkeys(kinds))  # a kind named twice would collide on its version
    if not kinds:
        return []
    if event is not None and event.id is None:
        db.session.flush()  # the orders name the event
    app = current_app._get_current_object()
    workflow = workflow_for(application)
    context = build_context(application, event, data)
    written = []
    for kind in kinds:
        spec = getattr(workflow, "documents", {}).get(kind)
        if spec is None:
            raise RenderError(f"workflow {application.workflow!r} has no document kind {kind!r}")
        addressed = context
        if getattr(spec, "to", None):
            addressee = context["parties"][spec.to]
            if addressee is None:
                continue
            addressed = {**context, "addressee": addressee, "party": workflow.parties[spec.to]}
        version = next_version(application, kind)
        info = DocumentInfo(
            kind=kind,
            title=spec.title,
            version=version,
            issued_on=context["issued_on"],
            replaces=_replacement(application, workflow, kind, version, event),
        )
        html = letter_html(app, application.workflow, info, addressed)
        public_html = None
        if kind in policy.kinds:
            public_html = letter_html(app, application.workflow, replace(info, public_copy=True),
                                      public_copy_context(addressed, policy))
        written.append((info, html, public_html))
    now = now_for(event)
    return [
        add_job(
            RENDER_DOCUMENT,
            key=job_key(application.id, info.kind, info.version),
            label=f"{info.title} (version {info.version})",
            application_id=application.id,
            payload=freeze({
                "application_id": application.id, "kind": info.kind, "title": info.title,
                "version": info.version, "stage": application.state,
                "event_id": getattr(event, "id", None), "issued_at": now, "html": html,
                "public_html": public_html,
            }),
        )
        for info, html, public_html in written
    ]


def _replacement(application: Application, workflow, kind: str, version: int,
                 event: Event | None) -> Replacement | None:
    """What version ``version`` of ``kind`` says of the one it replaces: its number, its date of
    issue and the action that issues the new one (None for a first version)."""
    replaced = replaced_version(application, kind, version)
    if replaced is None:
        return None
    action = getattr(event, "action", None)
    label = getattr(getattr(workflow, "actions", {}).get(action), "label", None)
    return Replacement(version=replaced[0], issued_on=as_date(replaced[1]),
                       reason=label or (humanise(action) if action else None))


def render_ordered_document(payload: dict) -> Document:
    """Render, store and record the letter ``issue_documents`` ordered, and its published copy
    if it has one (once: a second run finds it rendered). Their content is the HTML written when
    it was ordered. Both are rendered before either is stored, so a copy that fails to render
    fails the job, which is retried as a whole: no letter is recorded without its copy."""
    order = thaw(payload)
    application = db.session.get(Application, order["application_id"])
    rendered = issued_version(application.id, order["kind"], order["version"])
    if rendered is not None:
        return rendered
    app = current_app._get_current_object()
    pdf = render_pdf(app, order["html"])
    public_html = order.get("public_html")  # none: no copy (or ordered before copies existed)
    return store_document(
        application, kind=order["kind"], title=order["title"], version=order["version"],
        stage=order["stage"], data=pdf.data, page_count=pdf.page_count,
        event_id=order["event_id"], now=order["issued_at"],
        public_copy=render_pdf(app, public_html) if public_html else None,
    )


# The outbox's jobs this package does, by kind (see assettransfer.jobs).
JOB_HANDLERS = {RENDER_DOCUMENT: render_ordered_document, BUILD_LEGAL_PACK: build_legal_pack}


def legal_pack_in_preparation(application: Application) -> Job | None:
    """The order for a legal pack not yet built, if there is one: until it is, the current pack
    is about to be replaced and must not be signed."""
    orders = open_jobs(application.id, [BUILD_LEGAL_PACK])
    return orders[-1] if orders else None


def current_legal_pack(application: Application) -> Document | None:
    """The legal pack parties should sign now, or None if none has been issued."""
    packs = current_documents(application, LEGAL_PACK)
    return packs[-1] if packs else None
