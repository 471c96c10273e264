"""Forms for the council's admin pages: the asset register and users. They check presence only;
the assets and staff services check the rest."""

import json

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Optional

from ...models import AssetStatus, AssetType, Role
from ...services.assets import ASSET_FIELDS, LOCATION_FIELDS
from . import GovEmailInput

ANY = SelectChoice("", "Any")
_LABELS = {f.name: f.label for f in ASSET_FIELDS + LOCATION_FIELDS}
ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


class AssetSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Name, address or description", widget=GovTextInput())
    asset_type = SelectField(
        "Type of asset",
        choices=[ANY, *(SelectChoice(t.value, t.label) for t in AssetType)],
        widget=GovSelect(),
        validators=[Optional()],
    )
    status = SelectField(
        "Status",
        choices=[ANY, *(SelectChoice(s.value, s.label) for s in AssetStatus)],
        widget=GovSelect(),
        validators=[Optional()],
    )

    def query_args(self) -> dict:
        return {k: v for k, v in self.data.items() if v}


def _text(name, hint="", long=False):
    return (TextAreaField if long else StringField)(
        _LABELS[name], description=hint, widget=GovTextArea() if long else GovTextInput()
    )


class AssetForm(FlaskForm):
    """Every field of the register (``assets.ASSET_FIELDS``); values go to the service as typed."""

    name = _text("name")
    asset_type = SelectField(
        _LABELS["asset_type"],
        choices=[
            SelectChoice("", "Choose a type"),
            *(SelectChoice(t.value, t.label) for t in AssetType),
        ],
        widget=GovSelect(),
        validate_choice=False,
    )
    address = _text("address", long=True)
    postcode = _text("postcode")
    ward = _text("ward", "The electoral ward it is in, for example Riverside")
    uprn = _text("uprn", "Up to 12 digits, from the local land and property gazetteer")
    title_number = _text("title_number", "For example ANG12345")
    area_m2 = _text("area_m2")
    current_use = _text("current_use", long=True)
    condition = _text("condition", long=True)
    annual_running_cost = _text("annual_running_cost", "In pounds, for example 18500")
    estimated_market_value = _text("estimated_market_value", "In pounds, for example 250000")
    description = _text("description", long=True)
    latitude = _text("latitude", "In decimal degrees (WGS84), for example 51.501009")
    longitude = _text("longitude", "In decimal degrees (WGS84); west of Greenwich is negative, "
                                   "for example -0.141588")
    easting = _text("easting", "Instead of latitude and longitude: metres east, for example "
                               "529090")
    northing = _text("northing", "Metres north, for example 179645")
    boundary = _text("boundary", "Optional: paste a GeoJSON Polygon or MultiPolygon geometry in "
                                 "WGS84, longitude first", long=True)

    def service_data(self) -> dict:
        return {f.name: self[f.name].data for f in ASSET_FIELDS + LOCATION_FIELDS}

    def fill(self, asset) -> None:
        for field in ASSET_FIELDS:
            value = getattr(asset, field.name)
            self[field.name].data = "" if value is None else getattr(value, "value", str(value))
        # The stored point is shown as latitude and longitude, whichever way it was entered.
        self.latitude.data = "" if asset.latitude is None else str(asset.latitude)
        self.longitude.data = "" if asset.longitude is None else str(asset.longitude)
        self.boundary.data = "" if asset.boundary is None else json.dumps(asset.boundary)


class ImportForm(FlaskForm):
    file = FileField(
        "Upload a CSV file",
        description="The first row names the columns: "
        + ", ".join(f.name for f in ASSET_FIELDS + LOCATION_FIELDS),
        widget=GovFileInput(),
    )


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Name or email address", widget=GovTextInput())
    role = SelectField(
        "Role", choices=[ANY, *ROLE_CHOICES], widget=GovSelect(), validators=[Optional()]
    )

    def query_args(self) -> dict:
        return {k: v for k, v in self.data.items() if v}


class NewUserForm(FlaskForm):
    name = StringField(
        "Full name", widget=GovTextInput(), validators=[InputRequired("Enter their full name")]
    )
    email = StringField(
        "Email address",
        widget=GovEmailInput(),
        validators=[InputRequired("Enter their email address")],
    )
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired("Choose a role")],
    )
    password = PasswordField(
        "Temporary password",
        description="12 characters or more, without their name, their email address or a common "
                    "password. Tell them it separately and ask them to change it.",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a temporary password")],
    )


class RoleForm(FlaskForm):
    role = RadioField(
        "Role",
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired("Choose a role")],
    )


class TwoFactorRuleForm(FlaskForm):
    """The button that requires two-factor sign-in of staff ("yes") or stops requiring it."""

    required = HiddenField(validators=[AnyOf(["yes", "no"])])
