"""Validating plain records (assets, organisations) with the same field types as workflow forms."""
from dataclasses import dataclass
from math import ceil

from ..extensions import db
from ..workflow.fields import Field, FieldValueError
from .errors import FieldError

MAX_ID = 2**31 - 1  # ids are 32-bit integers on every database


def by_id(model, raw_id):
    """The row with this id, or None for any id no row can have (never an overflow error)."""
    try:
        row_id = int(raw_id)
    except (TypeError, ValueError):
        return None
    return db.session.get(model, row_id) if 1 <= row_id <= MAX_ID else None


def clean_record(fields: tuple[Field, ...], data,
                 partial: bool = False) -> tuple[dict, list[FieldError]]:
    """Typed values for the fields present (all of them unless ``partial``), and the errors.

    Unknown keys are errors too, so a client's typo never silently drops data.
    """
    if not isinstance(data, dict):
        return {}, [FieldError("", "Expected an object of fields")]
    known = {f.name: f for f in fields}
    errors = [FieldError(name, f"Unknown field '{name}'") for name in data if name not in known]
    cleaned = {}
    for field in fields:
        if partial and field.name not in data:
            continue
        try:
            cleaned[field.name] = field.typed(field.clean(data.get(field.name)))
        except FieldValueError as exc:
            errors.append(FieldError(field.name, str(exc)))
    return cleaned, errors


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge=1, left_current=1, right_current=2, right_edge=1):
        """Page numbers to link, with None for a gap, as Flask-SQLAlchemy's pagination gives."""
        last = 0
        for number in range(1, self.pages + 1):
            if (number <= left_edge
                    or self.page - left_current <= number <= self.page + right_current
                    or number > self.pages - right_edge):
                if last + 1 != number:
                    yield None
                yield number
                last = number


def page_bounds(page, per_page, max_per_page: int = 100) -> tuple[int, int]:
    """A valid page number and size from user input (clamped, never an error).

    The page is at most the one whose first row is the ``MAX_ID``-th: past that every page is
    empty anyway, and a larger offset overflows the database's integer (a 500, not a page).
    """
    try:
        page = min(max(1, int(page)), MAX_ID // max_per_page)
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = min(max(1, int(per_page)), max_per_page)
    except (TypeError, ValueError):
        per_page = 20
    return page, per_page
