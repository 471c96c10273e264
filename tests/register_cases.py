"""Requests on the public register, built with the factories (no walks): a case at a stage, with
the deadlines, decisions and documents it would have there."""
from datetime import UTC, datetime, timedelta

from assettransfer.documents.pdf import RenderedPdf
from assettransfer.documents.records import store_document
from assettransfer.extensions import db
from assettransfer.models import Deadline
from assettransfer.models.types import utcnow
from assettransfer.services.audit import record_event
from assettransfer.walks import PATHS, blank_pdf
from assettransfer.workflow.calendar import uk_today
from tests import factories

# Planted in fields that must never be public: each must appear nowhere on the register's pages
# or in its open data.
SECRETS = {
    "market_value": "987654.32",
    "contact_name": "Zebedee Plantagenet",
    "contact_email": "zebedee.secret@example.net",
    "note": "INTERNAL-NOTE-7c1f",
    "assessment": "ASSESSMENT-COMMENT-91ab",
    "recommendation": "RECOMMENDATION-SUMMARY-5d2e",
    "valuation": "13579246",
    "lead": "Lavinia Leadcontact",
    "representer": "Rupert Representer",
    "representer_email": "rupert.private@example.net",
}


def sent_request(workflow="scotland-atr", state="representations", *, submitted=None,
                 asset=None, organisation=None, answers=None):
    """A request sent ``submitted`` (a datetime; now by default) at ``state``."""
    application = factories.ApplicationFactory(
        workflow=workflow, state=state,
        answers=answers if answers is not None else PATHS[workflow].answers,
        submitted_at=submitted or utcnow(),
        **({"asset": asset} if asset else {}),
        **({"organisation": organisation} if organisation else {}))
    db.session.flush()
    return application


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def open_for_representations(application, closes_in_days=5, *, actor):
    """The representation period's deadline, closing ``closes_in_days`` from today (negative:
    it has closed)."""
    event = record_event(application, actor, "publish_notice", from_state="validated",
                         to_state="representations",
                         payload={"notice_date": (uk_today() - timedelta(days=10)).isoformat()})
    db.session.add(Deadline(application_id=application.id, name="representations",
                            starts_on=uk_today() - timedelta(days=10),
                            due_on=uk_today() + timedelta(days=closes_in_days),
                            rule="20 working days after the notice", event_id=event.id))
    db.session.flush()
    return event


def decide(application, actor, action, to_state, **payload):
    """Record a decision as the engine would in the audit trail, and move the case."""
    event = record_event(application, actor, action, from_state=application.state,
                         to_state=to_state, payload=payload)
    application.state = to_state
    db.session.flush()
    return event


def issue(application, kind, title, event=None, *, version=1, public_copy=None):
    """A document of ``kind`` as issued (a one-page PDF), with ``public_copy`` (PDF bytes) as
    its published copy if given."""
    return store_document(application, kind=kind, title=title, version=version,
                          stage=application.state, data=blank_pdf(), page_count=1,
                          event_id=event.id if event else None, now=utcnow(),
                          public_copy=RenderedPdf(public_copy, 1) if public_copy else None)
