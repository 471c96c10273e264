"""Effects named in the workflow YAML: what an action changes besides the state."""
import logging

from flask import current_app
from sqlalchemy import select

from ..documents import DocumentError
from ..documents import service as documents
from ..extensions import db
from ..models import Application, AssetStatus, Role, Signature
from ..workflow import workflows
from ..workflow.context import ActionContext, role_of
from . import disposal
from .deadlines import extend
from .errors import FieldError, ValidationFailed

EFFECTS = {}
_logger = logging.getLogger(__name__)


def effect(fn):
    EFFECTS[fn.__name__] = fn
    return fn


@effect
def mark_submitted(ctx: ActionContext, params=None) -> None:
    if ctx.application.submitted_at is None:
        ctx.application.submitted_at = ctx.now


@effect
def asset_status(ctx: ActionContext, status) -> None:
    """Move the asset's register status; it is only released when no other request is live."""
    status = AssetStatus(status)
    if status is AssetStatus.AVAILABLE and _other_live_requests(ctx):
        return
    ctx.application.asset.status = status


def _other_live_requests(ctx: ActionContext) -> bool:
    others = db.session.execute(
        select(Application.workflow, Application.state).where(
            Application.asset_id == ctx.application.asset_id, Application.id != ctx.application.id)
    )
    registry = workflows()
    return any(
        not registry[key].states[state].final and state != registry[key].initial_state
        for key, state in others
    )


@effect
def record_terms(ctx: ActionContext, params=None) -> None:
    """Keep the agreed terms on the application for heads of terms and the legal pack."""
    ctx.application.terms = dict(ctx.event.payload)


@effect
def extend_deadline(ctx: ActionContext, params) -> None:
    """Move an open deadline to the date in ``field``; ``by`` says on whose authority (by default
    the parties' agreement)."""
    extend(ctx, ctx.event, params["deadline"], params["field"], params.get("by", "agreement"))


@effect
def issue_legal_pack(ctx: ActionContext, params=None) -> None:
    documents.issue_legal_pack(ctx.application, ctx.event, ctx.application.terms or {})


@effect
def record_signature(ctx: ActionContext, params=None) -> None:
    """Sign the current legal pack for the actor: their PDF signature added to the pack's file
    (a new file, which the pack's row now names) and the row that records it, in the action's
    transaction. Signing a PDF takes milliseconds, so it is done here rather than as a job: the
    signer sees the signed pack at once, and a failure refuses the action with nothing written
    (the new file, written first, is left unreferenced)."""
    pack = documents.current_legal_pack(ctx.application)
    role = Role(role_of(ctx.actor))
    party = (ctx.application.organisation.name if role is Role.APPLICANT
             else current_app.config["AUTHORITY_NAME"])
    signer = documents.PartySigner(name=ctx.actor.name, role=documents.SIGNATORIES[role],
                                   party=party, field=f"Signature-{role.value}-{ctx.actor.id}")
    try:
        signed = documents.sign_pack(pack, signer)
    except (DocumentError, OSError):  # the timestamp authority did not answer, say
        _logger.exception("The legal pack %s could not be signed", pack.id)
        message = ("The legal pack could not be signed just now, and nothing was recorded: try "
                   "again in a few minutes")
        raise ValidationFailed(message, [FieldError("", message)]) from None
    db.session.add(Signature(
        application_id=ctx.application.id, document_id=pack.id, user_id=ctx.actor.id,
        role=role.value, full_name=ctx.actor.name, pack_sha256=signed, signed_at=ctx.now,
    ))


@effect
def record_undervalue(ctx: ActionContext, params=None) -> None:
    """Keep with the terms how far the consideration falls short of the best reasonably
    obtainable (LGA 1972 s123(2)), for the letters and the legal pack."""
    market, consideration = (ctx.data.get(disposal.MARKET_VALUE),
                             ctx.data.get(disposal.CONSIDERATION))
    if market is not None and consideration is not None:
        short_of_best = disposal.undervalue(market, consideration)
        ctx.application.terms = {**(ctx.application.terms or {}),
                                 disposal.UNDERVALUE: str(short_of_best)}
