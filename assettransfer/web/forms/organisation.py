"""The forms for adding a member to an organisation and changing its lead contact (its profile
form is built from ``services.organisations.ORGANISATION_FIELDS``)."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired

from . import GovEmailInput


class AddMemberForm(FlaskForm):
    email = StringField(
        "Email address",
        description="They need a community group account first. Use the email address they "
        "signed up with.",
        widget=GovEmailInput(),
        validators=[InputRequired("Enter the email address of the person to add")],
    )


class LeadContactForm(FlaskForm):
    """The choices (the other members) are set by the view; the service checks the one chosen."""

    member = RadioField(
        "Who should be the lead contact?", validate_choice=False, widget=GovRadioInput(),
        validators=[InputRequired("Select the member who will be the lead contact")],
    )
