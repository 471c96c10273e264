"""E-mail by SMTP: one connection per message, STARTTLS and login when configured.

The ``Message-ID`` is made from the message's key, so a message sent again after a failure that
came too late to be recorded (the server took it, then the connection dropped) carries the same
id, and mail systems can see it for the copy it is. Every wait on the server is bounded by
``MAIL_TIMEOUT``: a dead or silent server fails the job, which is tried again later, rather than
holding a worker.
"""

import hashlib
import smtplib
import socket
import ssl
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr

from ..models import Message
from .errors import NotSent

PDF_NAME = "letter.pdf"


class SmtpChannel:
    name = "smtp"

    def __init__(self, settings):
        self.host = settings["MAIL_SERVER"]
        self.use_tls = bool(settings.get("MAIL_USE_TLS"))
        self.port = int(settings.get("MAIL_PORT") or (587 if self.use_tls else 25))
        self.username = settings.get("MAIL_USERNAME")
        self.password = settings.get("MAIL_PASSWORD")
        self.timeout = float(settings.get("MAIL_TIMEOUT") or 30)
        self.sender = settings.get("MAIL_DEFAULT_SENDER") or str(Address(
            settings["AUTHORITY_NAME"], addr_spec=settings["AUTHORITY_EMAIL"]))
        self.domain = parseaddr(self.sender)[1].rpartition("@")[2] or "localhost"
        # The name this host gives in EHLO, looked up once: smtplib looks it up (DNS) for every
        # connection, which can take longer than the message.
        self.local_hostname = socket.getfqdn()

    def message_id(self, message: Message) -> str:
        """``<digest@sender's domain>``: the key itself may hold characters a Message-ID may
        not."""
        return f"<{hashlib.sha256(message.key.encode()).hexdigest()[:40]}@{self.domain}>"

    def email(self, message: Message, attachment: bytes | None) -> EmailMessage:
        email = EmailMessage()
        email["Subject"] = message.subject
        email["From"] = self.sender
        email["To"] = str(Address(message.to_name, addr_spec=message.to_address))
        email["Message-ID"] = self.message_id(message)
        email.set_content(message.body)
        if attachment:
            email.add_attachment(attachment, maintype="application", subtype="pdf",
                                 filename=PDF_NAME)
        return email

    def send(self, message: Message, attachment: bytes | None) -> str:
        try:
            email = self.email(message, attachment)
        except (ValueError, HeaderParseError) as error:
            raise NotSent(f"{message.to_address!r} is not an e-mail address to send to: {error}",
                          permanent=True) from error
        where = f"SMTP server {self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, self.local_hostname,
                              timeout=self.timeout) as server:
                if self.use_tls:
                    server.starttls(context=ssl.create_default_context())
                if self.username:
                    server.login(self.username, self.password or "")
                server.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            [(code, reply)] = error.recipients.values()
            raise NotSent(f"{where} refused {message.to_address}: {code} {_text(reply)}",
                          permanent=code >= 500) from error
        except smtplib.SMTPResponseException as error:
            raise NotSent(f"{where} answered {error.smtp_code} {_text(error.smtp_error)}",
                          permanent=error.smtp_code >= 500) from error
        except (smtplib.SMTPException, OSError) as error:  # refused, timed out, TLS, dropped
            raise NotSent(f"could not send through {where}: {type(error).__name__}: {error}",
                          permanent=False) from error
        return email["Message-ID"]


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply
