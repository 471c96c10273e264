"""Errors of the documents package. They are ordinary exceptions so the caller's transaction
handling (``except Exception`` / SQLAlchemy's rollback) sees them."""


class DocumentError(Exception):
    """Base class: a document could not be issued or read."""


class RenderError(DocumentError):
    """A template or the PDF renderer failed, e.g. a resource outside the allowed folders."""


class MissingData(DocumentError):
    """The action's data lacks a fact the law requires this document to state."""


class IntegrityError(DocumentError):
    """A stored file no longer matches the SHA-256 recorded when it was issued."""


class StorageError(DocumentError):
    """A storage name is unsafe, or a stored file would be overwritten with other bytes."""
