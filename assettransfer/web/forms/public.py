"""The forms of the public pages: the asset register's search, and /verify's check.

The search is a GET form: its answers are in the address, so a search can be bookmarked and
shared, and it changes nothing, so it carries no CSRF token. /verify's is posted, with one.
"""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from ...models import AssetStatus, AssetType
from ...services.assets import ward_choices


class AssetSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search by name, address or description", widget=GovTextInput())
    asset_type = SelectField(
        "Type of asset",
        choices=[SelectChoice("", "Any type")]
        + [SelectChoice(t.value, t.label) for t in AssetType],
        validate_choice=False,
        widget=GovSelect(),
    )
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Any status")]
        + [SelectChoice(s.value, s.label) for s in AssetStatus],
        validate_choice=False,
        widget=GovSelect(),
    )
    postcode = StringField(
        "Postcode or area",
        description="The start of a postcode, for example EX1",
        widget=GovTextInput(),
    )
    ward = SelectField("Ward", validate_choice=False, widget=GovSelect())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ward.choices = [SelectChoice("", "Any ward")] + [
            SelectChoice(ward, ward) for ward in ward_choices()]

    def filters(self) -> dict:
        return {name: (self[name].data or "").strip() or None
                for name in ("q", "asset_type", "status", "postcode", "ward")}


class VerifyForm(FlaskForm):
    """A PDF to check, or the SHA-256 of one (``services.verification.verify`` needs one)."""

    file = FileField("Upload the PDF", widget=GovFileInput())
    sha256 = StringField("Or enter its SHA-256", widget=GovTextInput())

    @property
    def uploaded(self):
        """The file chosen, or None."""
        data = self.file.data
        return data if getattr(data, "filename", None) else None
