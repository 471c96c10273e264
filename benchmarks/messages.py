"""How fast the outbox delivers e-mail, against a bare smtplib loop in the same run. A script,
not a test:

    . .venv/bin/activate && python benchmarks/messages.py [--messages 1000]

Both send to the same local SMTP server (aiosmtpd on 127.0.0.1, in this process), so the
figures are the cost of our side, not of a network. The outbox: ``--messages`` messages queued
by ``queue_message``, each in a transaction of its own as actions write them; then their jobs
run one after another (``run_job``: claim the job, load the message and send it by SMTP, record
the send and the job done), timed by the wall clock. The baseline: the same number of messages
sent by a bare loop of ``smtplib``, a connection per message as each job has (a job may run in
any worker, so it keeps no connection open); run before and after the outbox, the faster run
counts. For comparison only: a bare loop over one connection, and the bare loop with two
commits to a SQLite file around each send (what the disk alone costs a durable record).

Target (printed with MET / NOT MET; the exit code is 0 either way): the outbox delivers at no
less than a third of the bare loop's rate (within 3x its time), the rest being the two commits
each job makes. Uses its own temporary SQLite app.
"""

import argparse
import smtplib
import socket
import sqlite3
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assettransfer import create_app
from assettransfer.extensions import db
from assettransfer.jobs.runner import run_job
from assettransfer.models import Message, MessageStatus
from assettransfer.outbox import set_dispatcher
from assettransfer.services.messages import queue_message
from assettransfer.services.transaction import transaction
from tests import factories
from tests.messaging.smtp_server import HOST, smtp_server

TARGET = 3.0
CLOCK = time.perf_counter  # the wall clock: sending is waiting on sockets and the server
SENDER = "Example Council <assets@example.gov.uk>"
EHLO_NAME = socket.getfqdn()  # looked up once, as the SMTP channel does


def make_app(folder: Path, port: int):
    return create_app({
        "TESTING": True, "SECRET_KEY": "benchmark", "AUDIT_KEYS": {"bench": "b" * 32},
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
        "STORAGE_DIR": str(folder / "storage"), "MESSAGES_DIR": str(folder / "messages"),
        "MAIL_SERVER": HOST, "MAIL_PORT": port, "MAIL_DEFAULT_SENDER": SENDER,
    })


def bare_email(number: int) -> EmailMessage:
    email = EmailMessage()
    email["Subject"], email["From"] = f"CAT-2026-{number:04d}: Expression of interest sent", SENDER
    email["To"] = f"Member {number} <member{number}@example.org>"
    email.set_content("Dear Member,\n\nYour request has reached a new stage.\n" * 3)
    return email


def bare_loop(port: int, count: int, reuse: bool) -> float:
    """Seconds to send ``count`` messages by smtplib alone."""
    started = CLOCK()
    if reuse:
        with smtplib.SMTP(HOST, port, EHLO_NAME, timeout=30) as server:
            for number in range(count):
                server.send_message(bare_email(number))
    else:
        for number in range(count):
            with smtplib.SMTP(HOST, port, EHLO_NAME, timeout=30) as server:
                server.send_message(bare_email(number))
    return CLOCK() - started


def bare_loop_with_commits(port: int, count: int, folder: Path) -> float:
    """Seconds to send ``count`` messages by smtplib, a connection each, with two commits to a
    SQLite file (journal and sync as the app's) around each send, as a job's claim and its "done"
    are: the least a durable record of each send costs on this disk."""
    database = sqlite3.connect(folder / "bare.sqlite", isolation_level=None)
    database.execute("CREATE TABLE sends (id INTEGER PRIMARY KEY, status TEXT)")
    database.executemany("INSERT INTO sends (status) VALUES ('pending')", [()] * count)
    started = CLOCK()
    for number in range(count):
        database.execute("UPDATE sends SET status = 'running' WHERE id = ?", (number + 1,))
        with smtplib.SMTP(HOST, port, EHLO_NAME, timeout=30) as server:
            server.send_message(bare_email(number))
        database.execute("UPDATE sends SET status = 'done' WHERE id = ?", (number + 1,))
    seconds = CLOCK() - started
    database.close()
    return seconds


def queue(application, count: int) -> float:
    """Seconds to queue ``count`` messages, each in its own transaction."""
    context = {"application": application, "asset": application.asset,
               "stage": "Expression of interest sent", "next_steps": "We will reply.",
               "url": "https://assets.example.gov.uk/applications/1"}
    started = CLOCK()
    for number in range(count):
        with transaction():
            queue_message("stage_changed", key=f"bench:{number}", to_name=f"Member {number}",
                          to_address=f"member{number}@example.org", application=application,
                          context={**context, "to_name": f"Member {number}"})
    return CLOCK() - started


def deliver(job_ids: list[int]) -> float:
    started = CLOCK()
    outcomes = [run_job(job_id) for job_id in job_ids]
    seconds = CLOCK() - started
    if set(outcomes) != {"done"}:
        raise SystemExit(f"not every job was done: {sorted(set(outcomes))}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    count = parser.parse_args().messages
    with tempfile.TemporaryDirectory() as tmp, smtp_server() as inbox:
        bare_loop(inbox.port, 20, reuse=False)  # warm: imports, the server's first connection
        before = bare_loop(inbox.port, count, reuse=False)
        app = make_app(Path(tmp), inbox.port)
        held: list[int] = []
        set_dispatcher(app, held.extend)
        with app.app_context():
            db.create_all()
            application = factories.ApplicationFactory()
            db.session.commit()
            queued = queue(application, count)
            received_before = len(inbox.envelopes)
            delivered = deliver(held)
            sent = db.session.query(Message).filter_by(status=MessageStatus.SENT).count()
            arrived = len(inbox.envelopes) - received_before
        after = bare_loop(inbox.port, count, reuse=False)
        reused = bare_loop(inbox.port, count, reuse=True)
        committed = bare_loop_with_commits(inbox.port, count, Path(tmp))
    if sent != count or arrived != count:
        raise SystemExit(f"{sent} messages recorded sent and {arrived} received, not {count}")
    report(count, queued, delivered, min(before, after), reused, committed)


def report(count: int, queued: float, delivered: float, bare: float, reused: float,
           committed: float) -> None:
    print(f"{count} messages to a local aiosmtpd server; wall-clock seconds")

    def line(label: str, seconds: float, note: str = "") -> None:
        print(f"{label:52} {seconds:7.2f} s {count / seconds:8.0f} msg/s "
              f"{seconds / bare:6.2f}x  {note}")

    line("bare smtplib loop, a connection each (baseline)", bare, "(the faster of two runs)")
    line("bare smtplib loop, one connection", reused, "(for comparison)")
    line("bare smtplib loop, two SQLite commits a message", committed,
         "(for comparison: the disk's part)")
    line("outbox: the jobs deliver", delivered,
         "(claim, load, send by SMTP, record sent and done)")
    line("outbox: queue_message, a transaction each", queued, "(in the actions' transactions)")
    ratio = delivered / bare
    print("\ntarget")
    print(f"  outbox delivery {ratio:.2f}x the bare loop's time (target within {TARGET:g}x): "
          f"{'MET' if ratio <= TARGET else 'NOT MET'}")
    print(f"  (against the bare loop with two commits a message: {delivered / committed:.2f}x)")


if __name__ == "__main__":
    main()
