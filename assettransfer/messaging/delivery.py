"""The outbox job that sends one ``Message``: once, however often the job runs."""

import re

from flask import current_app

from ..documents.records import document_of_key, read_document
from ..extensions import db
from ..models import Message, MessageStatus
from ..models.types import utcnow
from ..outbox import NotReady
from .channels import channel_for

SEND_MESSAGE = "send_message"
# Messages whose links act for their recipient (confirm an address, set a password): once sent,
# the copy kept on the case or account keeps no working link.
SECRET_LINKS = {"confirm_email", "password_reset"}
_LINK = re.compile(r"https?://\S+")


def deliver(payload: dict) -> Message:
    message = db.session.get(Message, payload["message_id"])
    if message.status is MessageStatus.SENT:
        return message  # a second run of a job whose send was recorded
    attachment = _attachment(message)
    channel = channel_for(current_app._get_current_object(), message.channel)
    message.provider_id = channel.send(message, attachment)
    message.provider, message.status, message.sent_at = channel.name, MessageStatus.SENT, utcnow()
    if message.kind in SECRET_LINKS:
        message.body = _LINK.sub("(link removed once sent)", message.body)
    return message


def _attachment(message: Message) -> bytes | None:
    """The PDF a message carries (a letter to a party with no account), once it exists."""
    if message.document_key is None:
        return None
    document = document_of_key(message.document_key)
    if document is None:
        raise NotReady("the letter this message carries is still being prepared")
    return read_document(document)


def not_sent(payload: dict) -> None:
    """The message's last try failed: it shows as not sent until an admin's retry sends it."""
    db.session.get(Message, payload["message_id"]).status = MessageStatus.FAILED


JOB_HANDLERS = {SEND_MESSAGE: deliver}
GIVE_UP_HANDLERS = {SEND_MESSAGE: not_sent}
