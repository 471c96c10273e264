"""Form helpers shared by the blueprints: GOV.UK widgets, service errors on form fields, and the
transaction of a form submission."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput

from ...extensions import db
from ...services.errors import DomainError, ValidationFailed


class GovEmailInput(GovTextInput):
    """A GOV.UK text input of type ``email`` (mobile keyboards show the @ key)."""

    input_type = "email"


def apply_errors(form: FlaskForm, error: DomainError, fallback: str | None = None) -> None:
    """Put a service's ``FieldError``s on the form's fields, so they show inline and in the summary.

    Errors for fields the form does not have go on ``fallback`` if given, else on the form.
    """
    for field_error in error.errors or []:
        field = form._fields.get(field_error.field) or form._fields.get(fallback or "")
        if field is not None:
            field.errors = [*field.errors, field_error.message]
        else:
            form.form_errors.append(field_error.message)
    if not error.errors:
        form.form_errors.append(error.message)


@dataclass
class Saved:
    ok: bool = False


@contextmanager
def saving(form: FlaskForm, show: Callable = apply_errors, **options) -> Iterator[Saved]:
    """The transaction of one form submission. When the service calls in the block succeed it
    commits and sets ``ok``; on ``ValidationFailed`` it rolls back and puts the errors on
    ``form`` with ``show(form, error, **options)``, so the page shows them instead of a 500."""
    saved = Saved()
    try:
        yield saved
    except ValidationFailed as exc:
        db.session.rollback()
        show(form, exc, **options)
    else:
        db.session.commit()
        saved.ok = True


def error_list(form: FlaskForm) -> list[dict]:
    """The GOV.UK error summary's ``errorList``: the first error of each field, in form order,
    each linking to the input it is about."""
    items = [{"text": message} for message in form.form_errors]
    for field in form:
        if field.errors:
            # A date's first input is its day box; other widgets' first input has the field's id.
            anchor = f"{field.name}-day" if isinstance(field.widget, GovDateInput) else field.id
            items.append({"text": field.errors[0], "href": f"#{anchor}"})
    return items
