"""Flask-WTF forms built at runtime from workflow ``Field`` objects (action data, form sections,
organisation profiles), and the values they give back to the services.

The checks are the fields' own (``Field.clean``), so a page and the API refuse the same input with
the same words. Use::

    form = action_form(action, application)            # an action's fields + comment + version
    if form.validate_on_submit():
        take_action(user, application, action.name, data=form_data(form, action.fields),
                    comment=form_comment(form), expected_version=form_version(form))

or ``form_class(fields, ...)`` for any tuple of fields (``partial=True`` on a form instance lets
required questions be left blank, for "Save and come back later").
"""

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields import Field as WTField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from ...workflow.fields import Field, FieldValueError
from . import GovEmailInput

COMMENT_LIMIT = 20000
# Names a dynamic form cannot use: FlaskForm's own attributes, and the fields added here.
RESERVED = frozenset({"data", "errors", "meta", "validate", "process", "populate_obj", "csrf_token",
                      "form_errors", "partial", "field_names", "version", "comment", "confirmed",
                      "hidden_tag"})
YES_NO = (("yes", "Yes"), ("no", "No"))
DATE_PARTS = ("day", "month", "year")


class SafeDateInput(GovDateInput):
    """GOV.UK's three date boxes, whatever was posted (none, one or four boxes: never a 500)."""

    def map_gov_params(self, field, **kwargs):
        params = GovFormBase.map_gov_params(self, field, **kwargs)
        parts = list(getattr(field, "parts", None) or ("", "", ""))
        if not any(parts) and isinstance(field.data, date):
            parts = [str(field.data.day), str(field.data.month), str(field.data.year)]
        error = " govuk-input--error" if field.errors else ""
        params.setdefault("fieldset", {"legend": {"text": field.label.text}})
        params.setdefault("items", [
            {"label": part.capitalize(), "id": f"{field.name}-{part}", "name": field.name,
             "classes": f"govuk-input--width-{4 if part == 'year' else 2}{error}", "value": value,
             "inputmode": "numeric"}
            for part, value in zip(DATE_PARTS, parts, strict=True)
        ])
        return params


class GovDateField(WTField):
    """A date typed in three boxes; ``data`` is a ``date`` or None, ``parts`` what was typed."""

    widget = SafeDateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parts = ("", "", "")

    def process_data(self, value):
        self.data = date.fromisoformat(value) if isinstance(value, str) and value else value or None

    def process_formdata(self, valuelist):
        self.data = None
        parts = [str(v).strip() for v in list(valuelist)[:3]]
        self.parts = tuple(parts + [""] * (3 - len(parts)))
        if not any(self.parts):
            return
        missing = [name for name, value in zip(DATE_PARTS, self.parts, strict=True) if not value]
        if missing:
            raise ValueError(f"{self.label.text} must include a {' and a '.join(missing)}")
        if not all(p.isdigit() for p in self.parts):
            raise ValueError(f"{self.label.text} must be a real date")
        if len(self.parts[2]) != 4:
            raise ValueError("Year must include 4 numbers")
        day, month, year = (int(p) for p in self.parts)
        try:
            self.data = date(year, month, day)
        except ValueError:
            raise ValueError(f"{self.label.text} must be a real date") from None

    def _value(self):
        return " ".join(self.parts)


def _what(spec: Field) -> str:
    """The field's own "Enter ..." message for a blank answer."""
    try:
        Field(spec.name, spec.label, "text", required=True).clean(None)
    except FieldValueError as exc:
        return str(exc).removeprefix("Enter ")
    return spec.label  # pragma: no cover - a required field always refuses None


def required_message(spec: Field) -> str:
    verb = "Select" if spec.type in ("choice", "yes_no") else "Enter"
    return f"{verb} {_what(spec)}"


def raw_value(field: WTField):
    """What the person gave: a stripped string (or the date), None when blank."""
    value = field.data
    if isinstance(value, str):
        value = value if field.type == "PasswordField" else value.strip()
        return value or None
    return value


class FieldRules:
    """A WTForms validator that applies a workflow field's own rules."""

    def __init__(self, spec: Field):
        self.spec = spec

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()  # the date boxes already said what is wrong
        value = raw_value(field)
        if value is None:
            if self.spec.required and not getattr(form, "partial", False):
                raise StopValidation(required_message(self.spec))
            raise StopValidation()
        try:
            self.spec.clean(value)
        except FieldValueError as exc:
            if self.spec.type == "choice":
                raise ValidationError(f"Select {_what(self.spec)} from the list") from None
            raise ValidationError(str(exc)) from None


def _text_params(spec: Field, classes: str, **extra) -> dict:
    return {"params": {"label": {"classes": "govuk-label--s"}, "classes": classes, **extra}}


def wtforms_field(spec: Field) -> WTField:
    """The WTForms field (with its GOV.UK widget) for one workflow field."""
    kwargs = {"description": spec.hint, "validators": [FieldRules(spec)]}
    legend = {"params": {"fieldset": {"legend": {"text": spec.label,
                                                 "classes": "govuk-fieldset__legend--s"}}}}
    if not spec.hint:
        legend["params"]["hint"] = None  # the radios widget would draw an empty hint
    if spec.type == "long_text":
        return TextAreaField(spec.label, widget=GovTextArea(), render_kw={"params": {
            "label": {"classes": "govuk-label--s"}, "rows": 5}}, **kwargs)
    if spec.type in ("choice", "yes_no"):
        pairs = YES_NO if spec.type == "yes_no" else [(o.value, o.label) for o in spec.options]
        choices = [SelectChoice(value, label) for value, label in pairs]
        if spec.type == "yes_no":
            legend["params"]["classes"] = "govuk-radios--inline"
        return RadioField(spec.label, choices=choices, validate_choice=False,
                          widget=GovRadioInput(), render_kw=legend, **kwargs)
    if spec.type == "date":
        return GovDateField(spec.label, render_kw=legend, **kwargs)
    if spec.type == "password":
        return PasswordField(spec.label, widget=GovPasswordInput(), render_kw={"params": {
            "label": {"classes": "govuk-label--s"}, "autocomplete": "current-password"}}, **kwargs)
    if spec.type == "email":
        return StringField(spec.label, widget=GovEmailInput(), render_kw=_text_params(
            spec, "govuk-!-width-two-thirds", spellcheck=False, autocomplete="email"), **kwargs)
    if spec.type == "number":
        return StringField(spec.label, widget=GovTextInput(), render_kw=_text_params(
            spec, "govuk-input--width-10", inputmode="decimal", spellcheck=False), **kwargs)
    if spec.type == "money":
        return StringField(spec.label, widget=GovTextInput(), render_kw=_text_params(
            spec, "govuk-input--width-10", inputmode="decimal", spellcheck=False,
            prefix={"text": "£"}), **kwargs)
    if spec.type == "postcode":
        return StringField(spec.label, widget=GovTextInput(), render_kw=_text_params(
            spec, "govuk-input--width-10", autocomplete="postal-code", spellcheck=False), **kwargs)
    return StringField(spec.label, widget=GovTextInput(), render_kw=_text_params(spec, ""),
                       **kwargs)


def _comment_rule(form, field):
    if field.data and len(field.data) > COMMENT_LIMIT:
        raise ValidationError(f"Your comment must be {COMMENT_LIMIT:,} characters or fewer")


def _version_rule(form, field):
    if not str(field.data or "").isdigit():
        raise ValidationError("This page is out of date: reload it and try again")


def form_class(fields: tuple[Field, ...], *, comment: str | None = None, confirm: str | None = None,
               confirm_hint: str = "", confirm_error: str = "", version: bool = True,
               name: str = "WorkflowForm"):
    """A FlaskForm class with one input per field, in order.

    :param comment: the label of an optional free-text comment box (None: no box)
    :param confirm: the label of a required confirmation checkbox, ``confirmed`` (None: none)
    :param confirm_hint: the warning read with that checkbox (what cannot be undone)
    :param confirm_error: the message when it is not ticked
    :param version: add a hidden ``version`` for optimistic locking (required when posted)
    """
    attrs = {"partial": False, "field_names": tuple(f.name for f in fields)}
    for spec in fields:
        if spec.name in RESERVED or spec.name.startswith("_"):
            raise ValueError(f"A form field cannot be called {spec.name!r}")
        attrs[spec.name] = wtforms_field(spec)
    if comment:
        attrs["comment"] = TextAreaField(
            comment, widget=GovTextArea(), validators=[_comment_rule],
            render_kw={"params": {"label": {"classes": "govuk-label--s"}, "rows": 4}})
    if confirm:
        attrs["confirmed"] = BooleanField(
            confirm, description=confirm_hint, widget=GovCheckboxInput(),
            validators=[_required_checkbox(confirm_error or "Tick the box to confirm")],
            render_kw={"params": {"formGroup": {"classes": "app-confirm"}}})
    if version:
        attrs["version"] = HiddenField(validators=[_version_rule])
    return type(name, (FlaskForm,), attrs)


def _required_checkbox(message: str):
    def rule(form, field):
        if not field.data:
            raise StopValidation(message)

    return rule


def action_form(action, application=None, *, initial: dict | None = None,
                **form_kwargs) -> FlaskForm:
    """The form of a workflow action (an ``Action`` or an ``AvailableAction``).

    It has the action's fields, an optional comment, a required confirmation checkbox when the
    action has ``confirm`` text, and a hidden ``version`` set from ``application``.
    """
    label = action.label[0].lower() + action.label[1:]
    cls = form_class(
        tuple(action.fields), comment="Comment (optional)",
        confirm=f"Yes, {label}" if action.confirm else None, confirm_hint=action.confirm,
        confirm_error=f"Tick the box to confirm you want to {label}",
        name=f"{action.name.title().replace('_', '')}Form",
    )
    data = dict(initial or {})
    if application is not None:
        data.setdefault("version", application.version)
    return cls(data=data, **form_kwargs)


def initial_values(fields: tuple[Field, ...], stored: dict | None) -> dict:
    """Stored JSON values (answers, a profile) as form data: dates, "yes"/"no", text."""
    values = {}
    for spec in fields:
        value = (stored or {}).get(spec.name)
        if value is None:
            continue
        if spec.type == "yes_no" and isinstance(value, bool):
            value = "yes" if value else "no"
        elif spec.type == "date":
            value = spec.typed(value) if isinstance(value, str) else value
        elif spec.type in ("number", "money"):
            value = str(value)
        values[spec.name] = value
    return values


def form_data(form: FlaskForm, fields: tuple[Field, ...]) -> dict:
    """The form's values as the services take them (``data`` of take_action, a section's
    answers): JSON-native, dates as ISO strings, blanks as None."""
    data = {}
    for spec in fields:
        value = raw_value(form[spec.name])
        if value is not None and spec.type != "password":
            value = spec.clean(value)
        data[spec.name] = value
    return data


def form_comment(form: FlaskForm) -> str:
    return (form.comment.data or "").strip() if "comment" in form else ""


def form_version(form: FlaskForm) -> int | None:
    value = form.version.data if "version" in form else None
    return int(value) if value not in (None, "") and str(value).isdigit() else None
