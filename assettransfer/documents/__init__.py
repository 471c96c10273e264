"""Issued documents: stage letters and the signed legal pack, rendered to PDF and stored immutably.

The services call ``issue_documents`` and ``issue_legal_pack`` inside an action's transaction,
which fix each document's content and order its PDF; the jobs in ``JOB_HANDLERS`` make the PDFs
after the commit. Pages and the API read files back with ``read_document``, through
``services.reads``. See ``service.py``.
"""

from .errors import DocumentError, IntegrityError, MissingData, RenderError, StorageError
from .service import (
    JOB_HANDLERS,
    current_legal_pack,
    issue_documents,
    issue_legal_pack,
    legal_pack_in_preparation,
    read_document,
)
from .storage import get_storage

__all__ = [
    "JOB_HANDLERS",
    "DocumentError",
    "IntegrityError",
    "MissingData",
    "RenderError",
    "StorageError",
    "current_legal_pack",
    "get_storage",
    "issue_documents",
    "issue_legal_pack",
    "legal_pack_in_preparation",
    "read_document",
]
