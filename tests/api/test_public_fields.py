"""What is public is decided once (``services/public.py``): the public page, the API for anyone
but council staff, and the definition must agree, field by field; the valuation stays inside."""
from decimal import Decimal

import pytest

from assettransfer.extensions import db
from assettransfer.models import Asset, AssetStatus, AssetType
from assettransfer.services.public import (
    COUNCIL_ONLY_ASSET_FIELDS,
    PUBLIC_ASSET_FIELDS,
    RECORD_FIELDS,
)
from tests.web.conftest import page  # noqa: F401

# How the public page writes each public field of the asset below: one entry per public field,
# so a field made public must be shown on the page (and a field shown must be made public).
ON_THE_PAGE = {
    "name": "Old Bell Inn", "asset_type": "Pub", "status": "Available",
    "description": "A village pub since 1790.", "address": "3 Church Lane", "postcode": "EX2 4BB",
    "uprn": "100012345678", "title_number": "DN765432", "area_m2": "640 square metres",
    "current_use": "Closed public house", "condition": "Sound; kitchen needs refitting",
    "annual_running_cost": "£12,345",
    "latitude": "Latitude 50.123400", "longitude": "longitude -4.567800",
    "boundary": "Its boundary is drawn as 1 outline",
    "ward": "Ward Church and Mill",
}
VALUATION = "475000.00"


@pytest.fixture
def pub(make):
    asset = make.AssetFactory(
        name="Old Bell Inn", asset_type=AssetType.PUB, status=AssetStatus.AVAILABLE,
        description="A village pub since 1790.", address="3 Church Lane\nExampletown",
        postcode="EX2 4BB", ward="Church and Mill", uprn="100012345678", title_number="DN765432",
        area_m2=Decimal("640"), current_use="Closed public house",
        condition="Sound; kitchen needs refitting", annual_running_cost=Decimal("12345.00"),
        estimated_market_value=Decimal(VALUATION), latitude=Decimal("50.1234"),
        longitude=Decimal("-4.5678"), boundary={"type": "Polygon", "coordinates": [
            [[-4.568, 50.123], [-4.567, 50.123], [-4.567, 50.124], [-4.568, 50.123]]]})
    db.session.commit()
    return asset


def test_every_column_of_an_asset_is_public_or_not_by_decision():
    listed = [*PUBLIC_ASSET_FIELDS, *RECORD_FIELDS, *COUNCIL_ONLY_ASSET_FIELDS]
    assert sorted(listed) == sorted(c.key for c in Asset.__table__.columns)
    assert len(set(listed)) == len(listed)


def test_the_page_shows_exactly_the_public_fields(client, pub, page):  # noqa: F811
    assert sorted(ON_THE_PAGE) == sorted(PUBLIC_ASSET_FIELDS)
    text = page(client.get(f"/assets/{pub.id}"))
    missing = [name for name, shown in ON_THE_PAGE.items() if shown not in text]
    assert missing == [], "public fields the page does not show"
    assert "475" not in text


@pytest.mark.parametrize("path", ["/assets/{id}", "/assets"])
@pytest.mark.parametrize("who", [None, "applicant"])
def test_the_api_shows_anyone_but_council_staff_exactly_the_public_fields(api, pub, path, who):
    body = api.get(path.format(id=pub.id), as_=who).get_json()
    shown = body if "items" not in body else body["items"][0]
    assert sorted(set(shown) - set(RECORD_FIELDS)) == sorted(PUBLIC_ASSET_FIELDS)
    assert "estimated_market_value" not in shown


@pytest.mark.parametrize("who", ["officer", "decision_maker", "legal", "admin"])
def test_council_staff_still_see_the_valuation(api, pub, who):
    assert api.get(f"/assets/{pub.id}", as_=who).get_json()["estimated_market_value"] == VALUATION
