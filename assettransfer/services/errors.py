"""The errors services raise; app-wide handlers make them pages (web) and problem details (API),
both answering with the error's ``status``."""
from dataclasses import dataclass

BAD_TEXT = "Must not contain NUL characters or unpaired surrogates"


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


def bad_text(value, path: str = ""):
    """FieldErrors for strings a database cannot store: NUL, or halves of a surrogate pair."""
    if isinstance(value, str):
        if "\x00" in value or not _encodable(value):
            yield FieldError(path, BAD_TEXT)
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key or not _encodable(key):
                yield FieldError(path, f"A key {BAD_TEXT[0].lower()}{BAD_TEXT[1:]}")
                continue
            yield from bad_text(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from bad_text(item, f"{path}.{index}" if path else str(index))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
