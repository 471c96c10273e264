"""Wards in the pages: entered by council staff (form, CSV import), shown on the asset's page
and the register entry, and a filter of the asset register and the register of requests; the
requests' open data has the column."""
import csv
import io
import re

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import Asset
from tests.register_cases import days_ago, sent_request
from tests.web.conftest import error_links, error_summary
from tests.web.test_account import inline_error

NEW = {"name": "Eastfield Hall", "asset_type": "community_centre", "address": "2 Eastfield Way",
       "postcode": "EX3 1GH"}


@pytest.fixture
def editor(make):
    user = make.UserFactory(officer=True)
    db.session.commit()
    return user


def asset_names(response) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/assets/\d+">([^<]+)</a>',
                      response.get_data(as_text=True))


def references(response) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/register/([A-Z0-9-]+)">',
                      response.get_data(as_text=True))


def options(response, select_id: str) -> list[str]:
    html = response.get_data(as_text=True)
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.DOTALL).group()
    return re.findall(r'<option value="([^"]*)"', select)


class TestCouncilEntersIt:
    def test_added_and_changed_in_the_form(self, client, login_as, editor, make):
        login_as(editor)
        assert 'name="ward"' in client.get("/council/assets/new").get_data(as_text=True)
        assert client.post("/council/assets/new",
                           data=NEW | {"ward": "  Eastfield  "}).status_code == 302
        asset = db.session.scalar(sa.select(Asset))
        assert asset.ward == "Eastfield"
        form = client.get(f"/council/assets/{asset.id}/edit").get_data(as_text=True)
        assert re.search(r'id="ward" name="ward" type="text" value="Eastfield"', form)
        client.post(f"/council/assets/{asset.id}/edit", data=NEW | {"ward": ""})
        assert asset.ward is None

    def test_too_long_is_shown_on_the_field_and_nothing_saved(self, client, login_as, editor):
        login_as(editor)
        response = client.post("/council/assets/new", data=NEW | {"ward": "W" * 101})
        assert response.status_code == 200
        assert inline_error(response, "ward") == "Must be 100 characters or fewer"
        assert error_links(response) == ["#ward"]
        assert db.session.scalar(sa.select(Asset)) is None

    def test_a_column_of_the_csv_import(self, client, login_as, editor):
        login_as(editor)
        form = client.get("/council/assets/import").get_data(as_text=True)
        assert "postcode, ward, uprn" in form
        header = "name,asset_type,address,postcode,ward\n"

        def upload(rows: str):
            return client.post("/council/assets/import", content_type="multipart/form-data",
                               data={"file": (io.BytesIO((header + rows).encode()), "a.csv")})

        bad = upload(f"Hall,community_centre,1 Road,EX1 1AA,Mill\nPark,park,Lane,EX1 2BB,"
                     f"{'x' * 101}\n")
        assert bad.status_code == 200 and db.session.scalar(sa.select(Asset)) is None
        assert "No assets were imported" in bad.get_data(as_text=True)
        assert upload("Hall,community_centre,1 Road,EX1 1AA, Mill \n").status_code == 302
        assert db.session.scalar(sa.select(Asset.ward)) == "Mill"


class TestAssetRegister:
    @pytest.fixture
    def wards(self, make):
        make.AssetFactory(name="Carnegie Library", ward="Riverside")
        make.AssetFactory(name="Eastfield Centre", ward="Eastfield")
        make.AssetFactory(name="Market Toilets", ward=None)
        db.session.commit()

    def test_a_list_of_the_wards_in_use_filters_the_assets(self, client, wards):
        response = client.get("/assets")
        assert options(response, "ward") == ["", "Eastfield", "Riverside"]
        filtered = client.get("/assets?ward=Riverside")
        assert asset_names(filtered) == ["Carnegie Library"]
        assert re.search(r'<option value="Riverside" selected', filtered.get_data(as_text=True))

    def test_a_ward_not_in_the_list_is_an_error_in_the_page(self, client, wards):
        response = client.get("/assets?ward=Atlantis")
        assert response.status_code == 200
        assert error_summary(response) == ["Choose a ward from the list"]
        assert error_links(response) == ["#ward"] and asset_names(response) == []

    def test_shown_on_the_asset_page(self, client, make, page):
        asset = make.AssetFactory(ward="Riverside")
        db.session.commit()
        assert "Ward Riverside" in page(client.get(f"/assets/{asset.id}"))


class TestRegisterOfRequests:
    @pytest.fixture
    def requests(self, make):
        park = sent_request("scotland-atr", "representations", submitted=days_ago(3),
                            asset=make.AssetFactory(name="Riverside Park", ward="Riverside"))
        centre = sent_request("council-cat", "eoi_submitted", submitted=days_ago(1),
                              asset=make.AssetFactory(name="Eastfield Centre", ward="Eastfield"))
        make.AssetFactory(name="Hilltop Hall", ward="Hilltop")  # no request for it
        db.session.commit()
        return park, centre

    def test_a_list_of_the_wards_of_requests_filters_them(self, client, requests):
        park, centre = requests
        assert options(client.get("/register"), "ward") == ["", "Eastfield", "Riverside"]
        assert references(client.get("/register?ward=Riverside")) == [park.reference]
        html = client.get("/register?ward=Eastfield&route=council-cat").get_data(as_text=True)
        assert 'href="/register/' + centre.reference in html

    def test_a_ward_not_in_the_list_is_an_error_in_the_page(self, client, requests):
        response = client.get("/register?ward=Hilltop")
        assert response.status_code == 200
        assert error_summary(response) == ["Choose a ward from the list"]
        assert references(response) == []

    def test_the_entry_and_the_open_data_give_it(self, client, requests, page):
        park, _ = requests
        assert "Ward Riverside" in page(client.get(f"/register/{park.reference}"))
        rows = csv.DictReader(io.StringIO(
            client.get("/open-data/asset-transfer-requests.csv").get_data(as_text=True)))
        assert {r["reference"]: r["ward"] for r in rows}[park.reference] == "Riverside"
        assert "ward The electoral ward" in page(client.get("/open-data/asset-transfer-requests"))
