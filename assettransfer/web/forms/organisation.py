"""The form for adding a member to an organisation (its profile form is built from
``services.organisations.ORGANISATION_FIELDS``)."""

from flask_wtf import FlaskForm
from wtforms import StringField
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
