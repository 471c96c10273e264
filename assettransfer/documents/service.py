"""What the services call when an action is taken, inside its transaction (flush, never commit).

    issue_documents(application, kinds, event, data) -> list[Document]
    issue_legal_pack(application, event, terms=None) -> Document
    current_legal_pack(application) -> Document | None
    read_document(document) -> bytes

Every failure raises (``DocumentError`` subclasses, or the database's own errors), so the action's
transaction rolls back the action together with its documents.
"""

from flask import current_app

from ..extensions import db
from ..models import Application, Document, Event
from .context import build_context, workflow_for
from .errors import RenderError
from .letters import DocumentInfo, render_letter
from .pack import issue_legal_pack
from .records import (
    LEGAL_PACK,
    current_documents,
    next_version,
    now_for,
    read_document,
    store_document,
)

__all__ = ["current_legal_pack", "issue_documents", "issue_legal_pack", "read_document"]


def issue_documents(
    application: Application, kinds: list[str], event: Event | None, data: dict | None
) -> list[Document]:
    """Render, store and record each kind for ``application`` after ``event``'s transition.

    All kinds are rendered before any file is written, so one bad template leaves nothing behind.
    Each new version supersedes the current version of the same kind. A kind addressed to a party
    (``to``) goes to that party, and is not issued when the party gets no letter of its own.
    """
    kinds = list(dict.fromkeys(kinds))  # a kind named twice would collide on its version
    if not kinds:
        return []
    if event is not None and event.id is None:
        db.session.flush()  # the Document rows point at the event
    app = current_app._get_current_object()
    workflow = workflow_for(application)
    context = build_context(application, event, data)
    now = now_for(event)
    rendered = []
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
        info = DocumentInfo(
            kind=kind,
            title=spec.title,
            version=next_version(application, kind),
            issued_on=context["issued_on"],
        )
        rendered.append((info, render_letter(app, application.workflow, info, addressed)))
    return [
        store_document(
            application,
            kind=info.kind,
            title=info.title,
            version=info.version,
            data=pdf.data,
            page_count=pdf.page_count,
            event=event,
            now=now,
        )
        for info, pdf in rendered
    ]


def current_legal_pack(application: Application) -> Document | None:
    """The legal pack parties should sign now, or None if none has been issued."""
    packs = current_documents(application, LEGAL_PACK)
    return packs[-1] if packs else None
