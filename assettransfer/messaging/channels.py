"""How a message leaves: each channel's ``send(message, attachment)`` returns the provider's id.

Chosen by configuration, one place (``channel_for``):
- e-mail by GOV.UK Notify when ``NOTIFY_API_KEY`` is set, else by SMTP when ``MAIL_SERVER`` is,
  else written to ``MESSAGES_DIR`` (in the instance folder);
- printed letters by Notify when ``NOTIFY_API_KEY`` is set, else written to the instance folder
  (``MESSAGES_DIR``) for the council to print and post.
Written to the folder (the embedded default), nothing fails for want of a mail server, and admins
see every message on its case.
"""

import json
import os
from pathlib import Path
from typing import Protocol

from flask import Flask

from ..models import Channel as ChannelKind
from ..models import Message


class Channel(Protocol):
    name: str

    def send(self, message: Message, attachment: bytes | None) -> str: ...


class FolderChannel:
    """Each message as a JSON file (and its PDF beside it) in ``MESSAGES_DIR``."""

    name = "file"

    def __init__(self, folder: Path):
        self.folder = folder

    def send(self, message: Message, attachment: bytes | None) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"message-{message.id:08d}"
        record = {"key": message.key, "channel": message.channel.value, "to": message.to_name,
                  "address": message.to_address, "subject": message.subject,
                  "body": message.body, "attachment": f"{stem}.pdf" if attachment else None}
        if attachment:
            _write(self.folder / f"{stem}.pdf", attachment)
        _write(self.folder / f"{stem}.json", json.dumps(record, indent=2).encode())
        return stem


def _write(path: Path, data: bytes) -> None:
    """Written whole or not at all: a temporary file renamed into place (a retry rewrites it)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def channel_for(app: Flask, kind: ChannelKind) -> Channel:
    config = app.extensions.setdefault("assettransfer.messaging.channels", {})
    if kind not in config:
        config[kind] = _make(app, kind)
    return config[kind]


def _make(app: Flask, kind: ChannelKind) -> Channel:
    settings = app.config
    if settings.get("NOTIFY_API_KEY"):
        from .notify import NotifyChannel
        return NotifyChannel(settings)
    if kind is ChannelKind.EMAIL and settings.get("MAIL_SERVER"):
        from .smtp import SmtpChannel
        return SmtpChannel(settings)
    return FolderChannel(Path(settings["MESSAGES_DIR"]))
