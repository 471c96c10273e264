"""The account trail: who signed in or failed to, changed a password, was given a role, was
deactivated or reactivated, made or revoked an API token; when, and from which address.

One keyed chain for the whole table (see ``audit_chain``), verified by ``audit.verify``. The
services that do these things call :func:`record` beside their ``security_event``; only
identifiers, roles and reasons are recorded, never a password, a token or what was typed.
"""
from datetime import UTC

from flask import has_request_context, request
from sqlalchemy import or_, select

from ..extensions import db
from ..models import AccountEvent, AuditHead
from ..models.types import utcnow
from .audit_chain import (
    ACCOUNTS,
    GENESIS,
    ChainCheck,
    current_key_id,
    keyed_hash,
    locked_head,
    set_head,
)
from .transaction import keep_on_rollback


def content(event: AccountEvent) -> dict:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "event": event.event,
        "user_id": event.user_id,
        "by_user_id": event.by_user_id,
        "address": event.address,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


def record(event: str, user_id: int | None, by_user_id: int | None = None, **details) -> None:
    """Append ``event`` to the account trail, in the caller's transaction."""
    head = locked_head(ACCOUNTS)
    last = db.session.execute(select(AccountEvent.seq, AccountEvent.hash)
                              .order_by(AccountEvent.seq.desc()).limit(1)).first()
    row = AccountEvent(
        seq=last.seq + 1 if last else 1, at=utcnow(), event=event, user_id=user_id,
        by_user_id=by_user_id, address=request.remote_addr if has_request_context() else None,
        details=details, prev_hash=last.hash if last else GENESIS, key_id=current_key_id(),
    )
    row.hash = keyed_hash(row.key_id, content(row))
    db.session.add(row)
    set_head(head, ACCOUNTS, row.seq, row.hash)
    db.session.flush()


def record_refusal(event: str, user_id: int | None, **details) -> None:
    """Append a refusal (a failed sign-in): the refused request rolls its work back, so the
    record is made again after that rollback, in a transaction of its own."""
    record(event, user_id, **details)
    keep_on_rollback(lambda: record(event, user_id, **details))


def history(user_id: int, limit: int = 200) -> list[AccountEvent]:
    """The latest account events by or about one user, newest first."""
    return list(db.session.scalars(
        select(AccountEvent).where(or_(AccountEvent.user_id == user_id,
                                       AccountEvent.by_user_id == user_id))
        .order_by(AccountEvent.seq.desc()).limit(limit)))


def verify(head: AuditHead | None) -> tuple[str | None, int]:
    """The first thing wrong with the account trail (None: nothing), and how many events
    verified."""
    chain = ChainCheck()
    query = select(AccountEvent).order_by(AccountEvent.seq).execution_options(yield_per=500)
    with db.session.scalars(query) as events:
        for event in events:
            chain.add(event.seq, event.prev_hash, event.hash, event.key_id, content(event))
    # No head is right only before the first account event.
    problem = chain.end(head, head_required=chain.length > 0)
    return problem, 0 if problem else chain.length
