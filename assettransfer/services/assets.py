"""The authority's asset register: search for everyone, changes for officers and admins."""
import csv
import io

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Application, Asset, AssetStatus, AssetType, Role
from ..workflow import workflows
from ..workflow.fields import Field, Option
from .errors import FieldError, NotAllowed, NotFound, ValidationFailed
from .geography import LOCATION_INPUTS, parse_location
from .records import Page, by_id, clean_record, page_bounds
from .wards import LIMIT as WARD_LIMIT
from .wards import in_ward, tidy, wards_in_use

ASSET_FIELDS = (
    Field("name", "Name", "text", required=True),
    Field("asset_type", "Type of asset", "choice", required=True,
          options=tuple(Option(t.value, t.label) for t in AssetType)),
    Field("address", "Address", "long_text", required=True),
    Field("postcode", "Postcode", "postcode", required=True),
    Field("ward", "Ward", "text"),
    Field("uprn", "Unique property reference number (UPRN)", "text"),
    Field("title_number", "Land Registry title number", "text"),
    Field("area_m2", "Area in square metres", "number"),
    Field("current_use", "Current use", "long_text"),
    Field("condition", "Condition", "long_text"),
    Field("annual_running_cost", "Annual running cost", "money"),
    Field("estimated_market_value", "Estimated market value", "money"),
    Field("description", "Description", "long_text"),
)
# Where the asset is (services/geography.py checks them): a point as latitude and longitude or as
# an easting and northing, and a boundary as GeoJSON; stored as latitude, longitude, boundary.
LOCATION_FIELDS = (
    Field("latitude", "Latitude", "text"),
    Field("longitude", "Longitude", "text"),
    Field("easting", "Easting (British National Grid)", "text"),
    Field("northing", "Northing (British National Grid)", "text"),
    Field("boundary", "Boundary (GeoJSON)", "long_text"),
)
EDITORS = (Role.OFFICER, Role.ADMIN)
LIMITS = {"name": 200, "uprn": 12, "title_number": 20, "ward": WARD_LIMIT}


def _check_editor(user) -> None:
    if user.role not in EDITORS:
        raise NotAllowed("Only officers and admins can change the asset register")


def _clean(data, partial: bool) -> dict:
    location = {}
    if isinstance(data, dict):
        location = {k: data[k] for k in LOCATION_INPUTS if k in data}
        data = {k: v for k, v in data.items() if k not in LOCATION_INPUTS}
    cleaned, errors = clean_record(ASSET_FIELDS, data, partial)
    place, location_errors = parse_location(location)
    errors += location_errors
    # A partial change leaves the point, or the boundary, as it is unless it gives one.
    if not partial or set(location) - {"boundary"}:
        cleaned.update(latitude=place["latitude"], longitude=place["longitude"])
    if not partial or "boundary" in location:
        cleaned["boundary"] = place["boundary"]
    if "ward" in cleaned:
        cleaned["ward"] = tidy(cleaned["ward"])
    for name, limit in LIMITS.items():
        if cleaned.get(name) and len(cleaned[name]) > limit:
            errors.append(FieldError(name, f"Must be {limit} characters or fewer"))
    if cleaned.get("uprn") and not cleaned["uprn"].isdigit():
        errors.append(FieldError("uprn", "A UPRN is a number of up to 12 digits"))
    if errors:
        raise ValidationFailed("The asset needs correcting", errors)
    if "asset_type" in cleaned:
        cleaned["asset_type"] = AssetType(cleaned["asset_type"])
    return {k: ("" if v is None and k in ("current_use", "condition", "description") else v)
            for k, v in cleaned.items()}


def create_asset(user, data) -> Asset:
    _check_editor(user)
    asset = Asset(**_clean(data, partial=False))
    db.session.add(asset)
    db.session.flush()
    return asset


def update_asset(user, asset: Asset, data) -> Asset:
    _check_editor(user)
    for name, value in _clean(data, partial=True).items():
        setattr(asset, name, value)
    db.session.flush()
    return asset


def withdraw_asset(user, asset: Asset) -> Asset:
    """Take an asset off the register of what can be requested (live requests carry on)."""
    _check_editor(user)
    if asset.status is AssetStatus.TRANSFERRED:
        raise ValidationFailed("A transferred asset cannot be withdrawn",
                               [FieldError("status", "This asset has already been transferred")])
    asset.status = AssetStatus.WITHDRAWN
    db.session.flush()
    return asset


def get_asset(asset_id) -> Asset:
    asset = by_id(Asset, asset_id)
    if asset is None:
        raise NotFound("No such asset")
    return asset


def ward_choices() -> list[str]:
    """The wards of the assets on the register, for its ward filter."""
    return wards_in_use()


def search_assets(q=None, asset_type=None, status=None, postcode=None, ward=None, page=1,
                  per_page=20) -> Page:
    """Assets matching the filters, by name. Unknown filter values are errors, not empty pages."""
    page, per_page = page_bounds(page, per_page)
    query, errors = select(Asset), []
    if q:
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(Asset.name).like(like),
                                func.lower(Asset.address).like(like),
                                func.lower(Asset.description).like(like)))
    if asset_type:
        if asset_type not in {t.value for t in AssetType}:
            errors.append(FieldError("asset_type", "Choose a type of asset from the list"))
        query = query.where(Asset.asset_type == asset_type)
    if status:
        if status not in {s.value for s in AssetStatus}:
            errors.append(FieldError("status", "Choose a status from the list"))
        query = query.where(Asset.status == status)
    if postcode:
        query = query.where(func.upper(func.replace(Asset.postcode, " ", "")).like(
            postcode.replace(" ", "").upper() + "%"))
    if ward:
        query = query.where(in_ward(ward, ward_choices(), errors))
    if errors:
        raise ValidationFailed("The search filters need correcting", errors)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.order_by(Asset.name, Asset.id)
                               .offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(items), total, page, per_page)


def open_to_requests(asset: Asset) -> bool:
    """Whether a group may start a new request for the asset."""
    return asset.status not in (AssetStatus.TRANSFERRED, AssetStatus.WITHDRAWN)


def live_requests(asset: Asset) -> list[Application]:
    """Applications for the asset that have been sent and are not finished."""
    registry = workflows()
    rows = db.session.scalars(select(Application).where(Application.asset_id == asset.id))
    return [a for a in rows
            if a.state != registry[a.workflow].initial_state
            and not registry[a.workflow].states[a.state].final]


def import_csv(user, text: str) -> list[Asset]:
    """Add every row of a CSV with the asset fields as headers; nothing is added if any row is
    bad."""
    _check_editor(user)
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ValidationFailed("The file is empty",
                               [FieldError("file", "The CSV file has no header row")])
    columns = {f.name for f in ASSET_FIELDS + LOCATION_FIELDS}
    unknown = [h for h in reader.fieldnames if h not in columns]
    if unknown:
        raise ValidationFailed("The CSV has unknown columns",
                               [FieldError("file", f"Unknown column '{h}'") for h in unknown])
    assets, errors = [], []
    for number, row in enumerate(reader, start=2):  # row 1 is the header
        try:
            assets.append(Asset(**_clean({k: v for k, v in row.items()
                                          if v not in (None, "")}, False)))
        except ValidationFailed as exc:
            errors += [FieldError(f"row {number}: {e.field}", e.message) for e in exc.errors]
    if errors:
        raise ValidationFailed("No assets were imported: correct these rows and try again", errors)
    if not assets:
        raise ValidationFailed("The file has no rows",
                               [FieldError("file", "The CSV file has no rows")])
    db.session.add_all(assets)
    db.session.flush()
    return assets
