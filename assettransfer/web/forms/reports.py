"""Forms for the report pages: the reporting year chosen, and the annual report's narrative."""
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField


class YearForm(FlaskForm):
    """The reporting year to show, sent by GET (no CSRF token: it changes nothing); the service
    checks the value."""

    class Meta:
        csrf = False

    year = StringField("Reporting year beginning 1 April", widget=GovTextInput())


class NarrativeForm(FlaskForm):
    narrative = TextAreaField(
        "What the council did to promote and support asset transfer requests",
        widget=GovTextArea(),
        description="Section 95(2)(f): for example guidance published, events held, officer "
                    "support and help with funding. It is printed in the report as written.",
    )
