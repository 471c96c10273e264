"""The lists of assets of community value and their open data, for anyone without signing in;
the asset's location entered by council staff and shown on a map."""
import csv
import html
import io
import json
from datetime import date

import pytest

from assettransfer.extensions import db
from assettransfer.models import Asset
from assettransfer.services.geography import LATITUDES
from tests.services.test_community_value import (  # noqa: F401  (fixtures and builders)
    DATASET_FIELDS,
    listed,
    notify,
    unsuccessful,
)
from tests.web.conftest import error_summary, inline_error
from tests.web.test_council_assets import GOOD, editor, upload  # noqa: F401
from tests.web.test_council_case import text

BOUNDARY = json.dumps({"type": "Polygon", "coordinates": [
    [[-1.5, 52.0], [-1.5, 52.001], [-1.498, 52.001], [-1.5, 52.0]]]})
DOWNLOADS = {"csv": "text/csv; charset=utf-8", "json": "application/json",
             "geojson": "application/geo+json"}


@pytest.fixture
def lists(listed, make):  # noqa: F811
    """The Red Lion under an interim moratorium from 7 December 2026, a refused nomination."""
    notify(listed, date(2026, 12, 7), ends=(date(2030, 1, 18), date(2030, 6, 7),
                                           date(2031, 6, 5)))
    unsuccessful(make)
    db.session.commit()
    return listed


def test_anyone_sees_the_list_with_its_dates_and_the_owners_notice(client, lists):
    page = text(client.get("/assets-of-community-value"))
    assert "1 asset on the list" in page
    for shown in ("The Red Lion", "ACV-2026-0001", "1 High Street, Exampletown, EX1 1AA",
                  "Nominated by Friends of the Red Lion", "Nomination date 3 August 2026",
                  "Listed on 28 September 2026", "Listing ends 30 September 2031",
                  "notice of intended disposal received 7 December 2026",
                  "Interim moratorium ends 18 January 2030",
                  "Full moratorium ends 7 June 2030", "Protected period ends 5 June 2031"):
        assert shown in page, shown
    assert "Bus Shelter" not in page


def test_anyone_sees_the_unsuccessful_nominations_with_reasons(client, lists):
    page = text(client.get("/assets-of-community-value/unsuccessful"))
    assert "Bus Shelter" in page and "Why it was not listed Ancillary use only." in page
    assert "On this list until 19 November 2031" in page and "Red Lion" not in page


def test_the_open_data_index_lists_both_datasets(client):
    body = client.get("/open-data").get_data(as_text=True)
    assert 'href="/open-data/assets-of-community-value"' in body
    assert 'href="/open-data/asset-transfer-requests"' in body
    assert "Open Government Licence v3.0" in body


def test_the_dataset_page_describes_every_field_and_the_licence(client):
    page = text(client.get("/open-data/assets-of-community-value"))
    for name in DATASET_FIELDS:
        assert f" {name} " in page, name
    assert "Licence: Open Government Licence v3.0" in page


@pytest.mark.parametrize("extension", DOWNLOADS)
def test_each_download_has_exactly_the_datasets_fields_in_order(client, lists, extension):
    response = client.get(f"/open-data/assets-of-community-value.{extension}")
    assert (response.status_code, response.content_type) == (200, DOWNLOADS[extension])
    assert "open-government-licence/version/3" in response.headers["Link"]
    body = response.get_data(as_text=True)
    if extension == "csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == DATASET_FIELDS and len(rows) == 3
    else:
        document = json.loads(body)
        assert document["licence"]["name"] == "Open Government Licence v3.0"
        records = (document["entities"] if extension == "json"
                   else [f["properties"] for f in document["features"]])
        assert [list(r) for r in records] == [DATASET_FIELDS] * 2
        assert [r["decision"] for r in records] == ["successful", "unsuccessful"]


@pytest.mark.parametrize("path", [
    "/assets-of-community-value", "/assets-of-community-value/unsuccessful",
    "/open-data/assets-of-community-value.csv", "/open-data/assets-of-community-value.json",
    "/open-data/assets-of-community-value.geojson", "/assets/{id}",
])
def test_no_field_that_is_not_public_is_shown(client, lists, path):
    body = client.get(path.format(id=lists.asset.id)).get_data(as_text=True)
    assert "475" not in body  # the council's valuation
    assert "Mill Lane" not in body  # an interested group's address


def test_the_start_page_links_to_the_list(client):
    body = client.get("/").get_data(as_text=True)
    assert 'href="/assets-of-community-value"' in body


def test_the_asset_page_shows_an_accessible_map(client, lists):
    body = client.get(f"/assets/{lists.asset.id}").get_data(as_text=True)
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<path d=\"M" in svg
    assert "latitude 52.000500, longitude -1.499000 (WGS84)" in html.unescape(svg)


class TestCouncilEntersTheLocation:
    def test_by_national_grid_reference_with_a_boundary(self, client, login_as, editor):  # noqa: F811
        login_as(editor)
        response = client.post("/council/assets/new", data={
            **GOOD, "easting": "362269.979", "northing": "169978.688", "boundary": BOUNDARY})
        assert response.status_code == 302
        [asset] = db.session.scalars(db.select(Asset)).all()
        assert (str(asset.latitude), str(asset.longitude)) == ("51.427547", "-2.544076")
        assert asset.boundary["type"] == "Polygon"
        edit = client.get(f"/council/assets/{asset.id}/edit").get_data(as_text=True)
        assert 'value="51.427547"' in edit and 'role="img"' in edit

    def test_bad_location_is_shown_on_its_fields_and_nothing_is_written(
            self, client, login_as, editor):  # noqa: F811
        login_as(editor)
        response = client.post("/council/assets/new", data={
            **GOOD, "latitude": "40", "longitude": "-1", "easting": "", "northing": "100",
            "boundary": '{"type": "Polygon", "coordinates": [[[-1.5, 52], [-1.4, 52]]]}'})
        assert response.status_code == 200
        assert inline_error(response, "latitude") == (
            f"Latitude must be between {LATITUDES[0]} and {LATITUDES[1]} degrees, in the UK")
        assert inline_error(response, "easting") == (
            "Enter the easting as well as the northing, or neither")
        assert "The outer ring needs at least 4 positions (a triangle, closed)" in [
            html.unescape(m) for m in error_summary(response)]
        assert db.session.scalars(db.select(Asset)).all() == []

    def test_csv_import_with_location_columns(self, client, login_as, editor):  # noqa: F811
        login_as(editor)
        header = "name,asset_type,address,postcode,latitude,longitude,easting,northing,boundary\n"
        good = (header + f'Hall,community_centre,1 Road,EX1 1AA,52.0005,-1.499,,,'
                f'"{BOUNDARY.replace(chr(34), chr(34) * 2)}"\n'
                "Park,park,Lane,EX1 2BB,,,331534.552,431920.792,\n")
        bad = header + "Shed,park,Lane,EX1 2BB,52.1,,,,\n"
        refused = upload(client, bad.encode())
        assert "2 longitude Enter the longitude as well as the latitude, or neither" in text(
            refused)
        assert db.session.scalars(db.select(Asset)).all() == []
        assert upload(client, good.encode()).status_code == 302
        hall, park = db.session.scalars(db.select(Asset).order_by(Asset.id)).all()
        assert hall.boundary["type"] == "Polygon" and str(hall.latitude) == "52.000500"
        assert (str(park.latitude), str(park.longitude)) == ("53.779110", "-3.040455")
