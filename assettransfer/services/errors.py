"""The errors services raise; views map them to pages, the API to problem details."""
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str  # a form field, "section.field", or "" for the whole request
    message: str


class DomainError(Exception):
    def __init__(self, message: str, errors: list[FieldError] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class NotFound(DomainError):
    """No such thing, or the user may not know it exists."""


class NotAllowed(DomainError):
    """The user's role may not do this."""


class Conflict(DomainError):
    """The thing changed since the user saw it (stale version)."""


class ValidationFailed(DomainError):
    """Bad input, or a workflow guard that failed; ``errors`` says which and why."""


class TooLarge(ValidationFailed):
    """An upload over the size limit."""


class UnsupportedType(ValidationFailed):
    """An upload of a kind of file we do not accept."""
