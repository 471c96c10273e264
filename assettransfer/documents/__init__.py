"""Issued documents: stage letters and the signed legal pack, rendered to PDF and stored immutably.

The services call ``issue_documents`` and ``issue_legal_pack`` inside an action's transaction;
pages and the API read files back with ``read_document``, through ``services.reads``. See
``service.py``.
"""

from .errors import DocumentError, IntegrityError, MissingData, RenderError, StorageError
from .service import current_legal_pack, issue_documents, issue_legal_pack, read_document
from .storage import get_storage

__all__ = [
    "DocumentError",
    "IntegrityError",
    "MissingData",
    "RenderError",
    "StorageError",
    "current_legal_pack",
    "get_storage",
    "issue_documents",
    "issue_legal_pack",
    "read_document",
]
