"""Writing messages: one ``Message`` row per recipient and channel, in the transaction of what
it tells of, and its ``send_message`` job; sent after the commit, never for a rolled-back action,
never twice (``key``)."""

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..messaging import SEND_MESSAGE, compose
from ..models import Application, Channel, Message, User
from ..outbox import add_job


def queue_message(kind: str, *, key: str, to_name: str, to_address: str, context: dict,
                  channel: Channel = Channel.EMAIL, user: User | None = None,
                  application: Application | None = None, statutory: bool = False,
                  document_key: str | None = None) -> Message | None:
    """The message of ``key``, written from template ``kind`` and queued, unless that message
    was already written (then the one written), or ``user`` turned off this kind of message and
    it is not ``statutory`` (then None: nothing is written)."""
    if user is not None and not statutory and not wants(user, kind):
        return None
    written = db.session.scalar(select(Message).where(Message.key == key))
    if written is not None:
        return written
    subject, body = compose(current_app._get_current_object(), kind, context)
    message = Message(
        key=key, kind=kind, application_id=application.id if application else None,
        user_id=user.id if user else None, to_name=to_name, to_address=to_address,
        channel=channel, subject=subject, body=body, statutory=statutory,
        document_key=document_key)
    db.session.add(message)
    db.session.flush()
    add_job(SEND_MESSAGE, key=f"message:{message.id}", label=f"{subject} (to {to_name})",
            application_id=message.application_id, payload={"message_id": message.id})
    return message


def wants(user: User, kind: str) -> bool:
    """Whether ``user`` has this kind of message on (every kind is, until they turn it off)."""
    return (user.message_preferences or {}).get(kind, True) is not False


def messages_about(application: Application, to_users=None) -> list[Message]:
    """Every message about the case, newest first (for council staff on the case page); with
    ``to_users`` (ids), only those sent to them (a group's own)."""
    query = select(Message).where(Message.application_id == application.id)
    if to_users is not None:
        query = query.where(Message.user_id.in_(list(to_users)))
    return list(db.session.scalars(query.order_by(Message.id.desc())))
