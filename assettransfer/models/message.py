import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, enum_column, utcnow


class Channel(enum.Enum):
    EMAIL = "email"
    LETTER = "letter"  # printed and posted (GOV.UK Notify), for a party known only by address

    @property
    def label(self) -> str:
        return {"email": "E-mail", "letter": "Letter by post"}[self.value]


class MessageStatus(enum.Enum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to be sent", "sent": "Sent", "failed": "Not sent"}[self.value]


class Message(db.Model):
    """One message to one recipient by one channel, written in the transaction of what it tells
    of and sent after the commit by its outbox job. The row is the record of what was said to
    whom, when and how, whether or not the case still exists for them."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What this message is the one message for (an event and a recipient): never sent twice.
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    application_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    to_name: Mapped[str] = mapped_column(sa.String(200))
    to_address: Mapped[str] = mapped_column(sa.Text)  # an e-mail address, or a postal address
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "message_channel"))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # A notice the law requires, or a reminder of a statutory deadline: nobody can turn it off.
    statutory: Mapped[bool] = mapped_column(default=False)
    # The letter it carries as a PDF (to a party with no account): the key of the job that makes
    # it, as the letter may still be being prepared when the message is written.
    document_key: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus, "message_status"),
                                                  default=MessageStatus.QUEUED)
    provider: Mapped[str | None] = mapped_column(sa.String(40))  # smtp, notify, file
    provider_id: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
