"""Forms of the applicant pages that are not built from the workflow: starting an application,
uploading a file, and buttons that only need their CSRF token."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from ...models import AttachmentKind


def _chosen(message: str):
    """One of the field's choices is selected (a forged value reads as nothing chosen)."""

    def rule(form, field):
        if field.data not in {choice.value for choice in field.choices or ()}:
            raise StopValidation(message)

    return rule


def _file_chosen(form, field):
    if not getattr(field.data, "filename", None):
        raise StopValidation("Select a file to upload")


class StartForm(FlaskForm):
    """Choices are set by the view: the user's organisations, the routes the council offers."""

    organisation = RadioField(
        "Which organisation is applying?", validate_choice=False, widget=GovRadioInput(),
        validators=[_chosen("Select the organisation that is applying")],
    )
    workflow = RadioField(
        "How do you want to apply?", validate_choice=False, widget=GovRadioInput(),
        validators=[_chosen("Select how you want to apply")],
    )


class UploadForm(FlaskForm):
    kind = RadioField(
        "What is the file?",
        choices=[SelectChoice(k.value, k.label) for k in AttachmentKind],
        validate_choice=False,
        widget=GovRadioInput(),
        validators=[_chosen("Select what the file is")],
    )
    file = FileField("Choose a file", widget=GovFileInput(), validators=[_file_chosen])


class ButtonForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change something."""
