"""The documents service as the tests call it: issue, commit as the action's request would, and
return what the outbox's jobs made after that commit (in the embedded default, before the
commit returns)."""
from assettransfer.documents import service
from assettransfer.documents.public_copy import NO_COPIES
from assettransfer.documents.records import document_of_key
from assettransfer.extensions import db
from assettransfer.models import Document, Job


def made_by(orders: list[Job]) -> list[Document]:
    db.session.commit()
    return [document_of_key(order.key) for order in orders]


def issue_documents(application, kinds, event, data, policy=NO_COPIES) -> list[Document]:
    return made_by(service.issue_documents(application, kinds, event, data, policy))


def issue_legal_pack(application, event, terms=None) -> Document:
    [pack] = made_by([service.issue_legal_pack(application, event, terms)])
    return pack
