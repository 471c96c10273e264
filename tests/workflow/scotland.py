"""Helpers for the scotland-atr tests: what the application has of deadlines and letters, and
what a refused action said."""
import pytest
from sqlalchemy import select

from assettransfer.documents import read_document
from assettransfer.extensions import db
from assettransfer.models import Deadline, Document
from assettransfer.services.errors import ValidationFailed
from tests.documents.conftest import pdf_text


def deadline(application, name) -> Deadline | None:
    """The current row of the deadline ``name``."""
    return db.session.scalar(select(Deadline)
                             .where(Deadline.application_id == application.id,
                                    Deadline.name == name, Deadline.superseded_at.is_(None))
                             .order_by(Deadline.id.desc()))


def messages(refused) -> list[str]:
    return [error.message for error in refused.value.errors]


def refused_because(phrase):
    """Expect the action to be refused with a reason containing ``phrase``."""
    return pytest.raises(ValidationFailed, check=lambda error: any(
        phrase in e.message for e in error.errors))


def letter(application, kind) -> str:
    """The text of the latest letter of ``kind``."""
    document = db.session.scalar(select(Document).where(
        Document.application_id == application.id, Document.kind == kind)
        .order_by(Document.id.desc()))
    return pdf_text(read_document(document))
