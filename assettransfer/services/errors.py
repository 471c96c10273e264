"""The errors services raise; app-wide handlers make them pages (web) and problem details (API),
both answering with the error's ``status``."""
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str  # a form field, "section.field", or "" for the whole request
    message: str


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, errors: list[FieldError] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class NotFound(DomainError):
    """No such thing, or the user may not know it exists."""

    status = 404


class NotAllowed(DomainError):
    """The user's role may not do this."""

    status = 403


class Conflict(DomainError):
    """The thing changed since the user saw it (stale version), or changed at the same time."""

    status = 409


class ValidationFailed(DomainError):
    """Bad input, or a workflow guard that failed; ``errors`` says which and why."""

    status = 422


class TooLarge(ValidationFailed):
    """An upload over the size limit."""

    status = 413


class UnsupportedType(ValidationFailed):
    """An upload of a kind of file we do not accept."""

    status = 415
