"""Forms for the council's casework pages: the queue's filters, notes, representations, assessments.

They check presence and shape only; the services check the rest and their errors are put back
on the fields with :func:`apply_errors` (or :func:`apply_assessment_errors`).
"""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from ...models import MAX_SCORE, AssetType
from ...services.errors import DomainError
from .workflow import GovDateField

ANY = SelectChoice("", "Any")


class QueueFilterForm(FlaskForm):
    """The work queue's filters, sent by GET (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    workflow = SelectField("Route", widget=GovSelect(), validators=[Optional()])
    state = SelectField("Stage", widget=GovSelect(), validators=[Optional()])
    asset_type = SelectField(
        "Type of asset",
        choices=[ANY, *(SelectChoice(t.value, t.label) for t in AssetType)],
        widget=GovSelect(),
        validators=[Optional()],
    )
    overdue = BooleanField("Only overdue", widget=GovCheckboxInput())
    scope = RadioField(
        "Show",
        choices=[
            SelectChoice("mine", "Waiting for your role"),
            SelectChoice("all", "All applications"),
        ],
        default="mine",
        widget=GovRadioInput(),
        validators=[Optional()],
    )

    def set_choices(self, registry) -> None:
        """Routes and stages from the workflow definitions; a stage shared by several routes
        (the same key) is one choice whose label names each distinct label once."""
        self.workflow.choices = [ANY, *(SelectChoice(w.key, w.title) for w in registry)]
        labels: dict[str, list[str]] = {}
        for workflow in registry:
            for state in workflow.states.values():
                names = labels.setdefault(state.name, [])
                if state.label not in names:
                    names.append(state.label)
        self.state.choices = [
            ANY,
            *sorted(
                (SelectChoice(k, " / ".join(v)) for k, v in labels.items()),
                key=lambda c: c.label.lower(),
            ),
        ]

    def service_filters(self) -> dict:
        """The keyword arguments for ``queues.list_applications`` (unknown values are kept,
        so the service reports them)."""
        return {
            "workflow": self.workflow.data or None,
            "state": self.state.data or None,
            "asset_type": self.asset_type.data or None,
            "overdue": bool(self.overdue.data),
        }

    def query_args(self) -> dict:
        """The filters as URL arguments, for pagination links."""
        args = {k: v for k, v in self.service_filters().items() if v}
        if args.get("overdue"):
            args["overdue"] = "y"
        if self.scope.data == "all":
            args["scope"] = "all"
        return args


class NoteForm(FlaskForm):
    text = TextAreaField(
        "Add an internal note",
        description="Only council staff can see notes. The group never sees them.",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the note")],
    )


class RepresentationForm(FlaskForm):
    from_name = StringField(
        "Who made the representation",
        description="A person's or organisation's name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter who made the representation")],
    )
    received_on = GovDateField(
        "Date received",
        description="For example, 27 3 2027",
        validators=[InputRequired("Enter the date it was received")],
    )
    text = TextAreaField(
        "The representation",
        description="Copy it in full, or summarise it and keep the original on file",
        widget=GovTextArea(),
        validators=[InputRequired("Enter the representation")],
    )


def score_field(criterion) -> str:
    return f"score_{criterion.name}"


def comment_field(criterion) -> str:
    return f"comment_{criterion.name}"


def assessment_form(workflow, assessment=None):
    """A form with a 0-5 score (if the criteria are weighted) and a comment per criterion,
    filled from the officer's own assessment on GET."""

    class AssessmentForm(FlaskForm):
        pass

    scored = any(c.weight for c in workflow.criteria)
    for criterion in workflow.criteria:
        if scored:
            setattr(
                AssessmentForm,
                score_field(criterion),
                RadioField(
                    f"Score for {criterion.label.lower()}",
                    choices=[SelectChoice(str(n)) for n in range(MAX_SCORE + 1)],
                    widget=GovRadioInput(),
                    validators=[Optional()],
                    validate_choice=False,  # the service says what a good score is
                ),
            )
        setattr(
            AssessmentForm,
            comment_field(criterion),
            TextAreaField(
                "Comment" if scored else f"Findings on {criterion.label.lower()}",
                widget=GovTextArea(),
                validators=[Optional()],
            ),
        )
    form = AssessmentForm()
    if assessment is not None and not form.is_submitted():
        for criterion in workflow.criteria:
            if scored and criterion.name in (assessment.scores or {}):
                form[score_field(criterion)].data = str(assessment.scores[criterion.name])
            form[comment_field(criterion)].data = (assessment.comments or {}).get(
                criterion.name, ""
            )
    form.scored = scored
    return form


def assessment_data(form, workflow) -> tuple[dict, dict]:
    """(scores, comments) keyed by criterion, as ``casework.save_assessment`` takes them."""
    scores, comments = {}, {}
    for criterion in workflow.criteria:
        if form.scored:
            raw = form[score_field(criterion)].data
            if raw not in (None, "", "None"):
                scores[criterion.name] = int(raw) if str(raw).isdigit() else raw
        comments[criterion.name] = form[comment_field(criterion)].data or ""
    return scores, comments


def apply_assessment_errors(form, error: DomainError) -> None:
    """The service names fields ``scores.<criterion>`` and ``comments.<criterion>``."""
    prefixes = {"scores": "score_", "comments": "comment_"}
    for field_error in error.errors or []:
        group, _, name = field_error.field.partition(".")
        field = form._fields.get(prefixes.get(group, "") + name) if name else None
        if field is not None:
            field.errors = [*field.errors, field_error.message]
        else:
            form.form_errors.append(field_error.message)
    if not error.errors:
        form.form_errors.append(error.message)
