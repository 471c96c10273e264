"""The register of requests' forms: its search (a GET form, like the asset register's, so a
search can be bookmarked and carries no CSRF token) and a representation made online."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from ...services import register
from . import GovEmailInput

FILTERS = ("q", "route", "stage", "decision", "postcode", "ward", "submitted_from",
           "submitted_to")


class RegisterSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search by reference, asset or group", widget=GovTextInput())
    route = SelectField("Route", validate_choice=False, widget=GovSelect())
    stage = SelectField("Stage", validate_choice=False, widget=GovSelect())
    decision = SelectField("Decision", validate_choice=False, widget=GovSelect())
    postcode = StringField("Postcode or area", description="The start of a postcode, for "
                           "example EX1", widget=GovTextInput())
    ward = SelectField("Ward", validate_choice=False, widget=GovSelect())
    submitted_from = StringField("Sent on or after", description="For example, 1/4/2027",
                                 widget=GovTextInput())
    submitted_to = StringField("Sent on or before", description="For example, 31/3/2028",
                               widget=GovTextInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.route.choices = [SelectChoice("", "Any route")] + [
            SelectChoice(key, title) for key, title in register.route_choices()]
        self.stage.choices = [SelectChoice("", "Any stage")] + [
            SelectChoice(label, label) for label in register.stage_choices()]
        self.decision.choices = [SelectChoice("", "Any"),
                                 SelectChoice(register.NO_DECISION, "Not decided yet")] + [
            SelectChoice(label, label) for label in register.decision_choices()]
        self.ward.choices = [SelectChoice("", "Any ward")] + [
            SelectChoice(ward, ward) for ward in register.ward_choices()]

    def filters(self) -> dict:
        return {name: (self[name].data or "").strip() or None for name in FILTERS}


class OnlineRepresentationForm(FlaskForm):
    """Checked by the service (casework.make_representation), so every error shows at once."""

    from_name = StringField("Your name", widget=GovTextInput())
    address = TextAreaField("Your address", widget=GovTextArea())
    email = StringField("Email address", description="We will send you a copy of what you wrote",
                        widget=GovEmailInput())
    text = TextAreaField("Your representation", description="What you think of the request, "
                         "and why", widget=GovTextArea())
