"""Form helpers shared by the blueprints: GOV.UK widgets, service errors on form fields, and what a
page does when the services refuse a submission."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput

from ...services.errors import Conflict, DomainError, ValidationFailed
from ...services.transaction import doom


class GovEmailInput(GovTextInput):
    """A GOV.UK text input of type ``email`` (mobile keyboards show the @ key)."""

    input_type = "email"


_NOT_SHOWN = ("csrf_token", "version")  # hidden inputs: their errors go in the summary
CHANGED_BY_SOMEONE_ELSE = (
    "Someone else changed this application after you opened this page, so nothing was saved. "
    "Reload the page to see their changes, then try again."
)


def apply_errors(form: FlaskForm, error: DomainError, fallback: str | None = None,
                 prefix: str = "") -> None:
    """Put a service's ``FieldError``s on the form's fields, so they show inline and in the summary.

    An error for ``prefix + name`` goes on field ``name``; errors for fields the form does not
    have (guard failures, say) go on ``fallback`` if given, else at the top of the summary.
    """
    for field_error in error.errors or []:
        name = field_error.field.removeprefix(prefix)
        field = None if name in _NOT_SHOWN else form._fields.get(name)
        if field is None:
            field = form._fields.get(fallback or "")
        if field is not None:
            field.errors = [*field.errors, field_error.message]
        else:
            form.form_errors.append(field_error.message)
    if not error.errors:
        form.form_errors.append(error.message)


@dataclass
class Saved:
    ok: bool = False
    status: int = 200  # what the page answers with when it shows the form again


@contextmanager
def saving(form: FlaskForm, show: Callable = apply_errors, **options) -> Iterator[Saved]:
    """A form submission's service calls. When they succeed ``ok`` is set and the request's
    transaction commits them (``web.transaction``). When they refuse, their work is undone and
    the page shows why instead of a 500: ``ValidationFailed`` puts the errors on ``form`` with
    ``show(form, error, **options)``; ``Conflict`` (a stale version) says someone else changed
    the application, with status 409."""
    saved = Saved()
    try:
        yield saved
    except Conflict:
        doom()
        form.form_errors.append(CHANGED_BY_SOMEONE_ELSE)
        saved.status = 409
    except ValidationFailed as exc:
        doom()
        show(form, exc, **options)
    else:
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
