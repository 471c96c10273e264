"""The asset register for council staff: search, add, edit, withdraw, import from CSV."""

import html
import io
from decimal import Decimal

import pytest

from assettransfer.extensions import db
from assettransfer.models import Asset, AssetStatus, AssetType
from tests.web.test_account import error_summary, inline_error
from tests.web.test_council_case import text

GOOD = {
    "name": "Eastfield Hall", "asset_type": "community_centre", "address": "2 Eastfield Way",
    "postcode": "ex3 1gh", "uprn": "100012345678", "title_number": "ANG1234", "area_m2": "900",
    "current_use": "Hall hire", "condition": "Good", "annual_running_cost": "36,500",
    "estimated_market_value": "£420000", "description": "A hall.",
}
HEADER = "name,asset_type,address,postcode,annual_running_cost\n"


@pytest.fixture
def editor(make):
    user = make.UserFactory(officer=True)
    db.session.commit()
    return user


def assets() -> list[Asset]:
    return list(db.session.scalars(db.select(Asset).order_by(Asset.id)))


class TestList:
    def test_search_by_text_type_and_status(self, client, login_as, make, editor):
        make.AssetFactory(name="Carnegie Library", asset_type=AssetType.LIBRARY)
        make.AssetFactory(name="Riverside Park")
        make.AssetFactory(name="Old Library Annexe", asset_type=AssetType.LIBRARY,
                          status=AssetStatus.WITHDRAWN)
        db.session.commit()
        login_as(editor)
        assert "3 assets" in text(client.get("/council/assets/"))
        page = text(client.get("/council/assets/?q=library&status=available"))
        assert "1 asset " in page and "Carnegie Library" in page and "Annexe" not in page
        page = text(client.get("/council/assets/?asset_type=park"))
        assert "Riverside Park" in page and "Carnegie" not in page

    def test_bad_filter(self, client, login_as, editor):
        login_as(editor)
        response = client.get("/council/assets/?status=sold")
        assert response.status_code == 200
        assert error_summary(response) == ["Choose a status from the list"]

    def test_read_only_for_legal_and_decision_makers(self, client, login_as, make):
        make.AssetFactory(name="Riverside Park")
        legal = make.UserFactory(legal=True)
        db.session.commit()
        login_as(legal)
        page = client.get("/council/assets/")
        assert "Riverside Park" in text(page)
        assert "Add an asset" not in text(page) and "/edit" not in page.get_data(as_text=True)
        assert client.get("/council/assets/new").status_code == 403
        assert client.post("/council/assets/new", data=GOOD).status_code == 403
        assert client.get("/council/assets/import").status_code == 403
        assert assets()[0].name == "Riverside Park" and len(assets()) == 1


class TestCreateAndEdit:
    def test_add_an_asset(self, client, login_as, editor):
        login_as(editor)
        response = client.post("/council/assets/new", data=GOOD)
        assert response.status_code == 302
        [asset] = assets()
        assert asset.postcode == "EX3 1GH" and asset.asset_type is AssetType.COMMUNITY_CENTRE
        assert asset.annual_running_cost == Decimal("36500.00")
        assert "Eastfield Hall has been added to the register." in text(
            client.get(response.location))

    def test_bad_input_is_shown_on_each_field(self, client, login_as, editor):
        login_as(editor)
        response = client.post("/council/assets/new", data={
            **GOOD, "name": "", "postcode": "nowhere", "uprn": "12ab", "area_m2": "-5"})
        assert response.status_code == 200
        assert inline_error(response, "name") == "Enter name"
        assert (inline_error(response, "postcode")
                == "Postcode must be a full UK postcode, like EH1 1YZ")
        assert inline_error(response, "uprn") == "A UPRN is a number of up to 12 digits"
        assert "Area in square metres must be 0 or more" in error_summary(response)
        assert assets() == []

    def test_edit(self, client, login_as, make, editor):
        asset = make.AssetFactory(name="Riverside Park")
        db.session.commit()
        login_as(editor)
        form = client.get(f"/council/assets/{asset.id}/edit").get_data(as_text=True)
        assert 'value="Riverside Park"' in form and 'value="18500.00"' in form
        response = client.post(f"/council/assets/{asset.id}/edit", data={
            **GOOD, "name": "Riverside Park and Pavilion", "uprn": ""})
        assert response.status_code == 302
        assert asset.name == "Riverside Park and Pavilion" and asset.uprn is None
        bad = client.post(f"/council/assets/{asset.id}/edit", data={**GOOD, "name": "x" * 201})
        assert error_summary(bad) == ["Must be 200 characters or fewer"]
        assert client.get("/council/assets/99999/edit").status_code == 404


class TestWithdraw:
    def test_confirm_then_withdraw(self, client, login_as, make, editor):
        asset = make.AssetFactory(name="Riverside Park")
        db.session.commit()
        login_as(editor)
        page = text(client.get(f"/council/assets/{asset.id}/withdraw"))
        assert "Withdraw Riverside Park from the register?" in page
        assert asset.status is AssetStatus.AVAILABLE  # a GET changes nothing
        response = client.post(f"/council/assets/{asset.id}/withdraw")
        assert response.status_code == 302 and asset.status is AssetStatus.WITHDRAWN

    def test_live_requests_are_named_and_transferred_assets_refused(
            self, client, login_as, make, editor):
        asset = make.AssetFactory(name="Riverside Park")
        application = make.ApplicationFactory(asset=asset, state="eoi_submitted")
        sold = make.AssetFactory(status=AssetStatus.TRANSFERRED)
        db.session.commit()
        login_as(editor)
        page = text(client.get(f"/council/assets/{asset.id}/withdraw"))
        assert f"Requests already made for this asset carry on: {application.reference}" in page
        response = client.post(f"/council/assets/{sold.id}/withdraw")
        assert response.status_code == 200
        assert error_summary(response) == ["This asset has already been transferred"]
        assert sold.status is AssetStatus.TRANSFERRED


def upload(client, content: bytes, filename="assets.csv"):
    return client.post("/council/assets/import", data={"file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


class TestImport:
    def test_every_row_is_added(self, client, login_as, editor):
        login_as(editor)
        csv = (HEADER + 'Hall,community_centre,"1 Road",EX1 1AA,100\n'
               "Park,park,Lane,EX1 2BB,\n").encode("utf-8-sig")
        response = upload(client, csv)
        assert response.status_code == 302
        assert [a.name for a in assets()] == ["Hall", "Park"]
        assert "2 assets added to the register." in text(client.get(response.location))

    def test_one_bad_row_means_nothing_is_added_and_each_problem_is_listed(
            self, client, login_as, editor):
        login_as(editor)
        csv = (HEADER + "Hall,community_centre,1 Road,EX1 1AA,100\n"
               ",castle,2 Road,nowhere,-1\n"
               "Park,park,Lane,EX1 2BB,\n").encode()
        response = upload(client, csv)
        assert response.status_code == 200
        assert assets() == []
        page = text(response)
        assert "No assets were imported: correct these rows and try again" in page
        assert "Problems in the file (4)" in page
        assert "3 name Enter name" in page
        assert "3 postcode Postcode must be a full UK postcode, like EH1 1YZ" in page
        assert "3 annual_running_cost" in page

    @pytest.mark.parametrize("content, message", [
        (b"", "Choose a CSV file"),
        (b"name,colour\nHall,red\n", "Unknown column 'colour'"),
        (HEADER.encode(), "The CSV file has no rows"),
        ("name\nH\xe9".encode("latin-1"), "The file must be a CSV saved as UTF-8 text"),
    ])
    def test_files_that_cannot_be_read(self, client, login_as, editor, content, message):
        login_as(editor)
        response = upload(client, content)
        assert response.status_code == 200
        assert message in [html.unescape(m) for m in error_summary(response)]
        assert assets() == []

    def test_no_file_chosen(self, client, login_as, editor):
        login_as(editor)
        response = client.post("/council/assets/import", data={},
                               content_type="multipart/form-data")
        assert error_summary(response) == ["Choose a CSV file"]
