"""A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread of its own) that keeps what it is
sent, for the tests and the messages benchmark."""

import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class Inbox:
    port: int = 0
    envelopes: list = field(default_factory=list)  # (MAIL FROM, RCPT TO list, raw bytes)
    sessions: list = field(default_factory=list)  # (over TLS, login) of each message's session
    unknown: set = field(default_factory=set)  # addresses it answers "550 no such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        login = session.auth_data.login.decode() if session.authenticated else None
        self.sessions.append((session.ssl is not None, login))
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        """What arrived, parsed. A method: aiosmtpd looks at every attribute of its handler on
        each connection, and a property would parse everything received so far each time."""
        return [message_from_bytes(raw, policy=policy.default)
                for _, _, raw in self.envelopes]


def free_port() -> int:
    """A port nothing listens on (as good as closed: for a server that is down)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(**smtp_parameters):
    """An ``Inbox`` listening on ``inbox.port``; ``smtp_parameters`` go to aiosmtpd's SMTP (TLS,
    authentication)."""
    inbox = Inbox(port=free_port())
    # A hostname given, or aiosmtpd looks its own up (DNS) for every connection.
    controller = Controller(inbox, hostname=HOST, port=inbox.port, server_hostname="inbox.test",
                            **smtp_parameters)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@contextmanager
def silent_server():
    """A port that takes connections and never answers: a server that hangs."""
    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen()
        yield listener.getsockname()[1]
