"""An asset's electoral ward: entered (form, CSV, API) trimmed and checked, and the ward filters
of the asset register and the register of requests, with its open data."""
import csv
import io

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import Asset
from assettransfer.services import assets, register, register_data
from assettransfer.services.errors import ValidationFailed
from tests.register_cases import days_ago, sent_request

ASSET = {"name": "Old Library", "asset_type": "library", "address": "1 Book St",
         "postcode": "EH1 1YZ"}


@pytest.fixture
def officer(make):
    return make.UserFactory(officer=True)


def names(page) -> list[str]:
    return [a.name for a in page.items]


class TestEntered:
    def test_trimmed_with_its_spaces_collapsed_and_optional(self, officer):
        asset = assets.create_asset(officer, ASSET | {"ward": "  Leith   Walk \n"})
        assert asset.ward == "Leith Walk"
        assert assets.create_asset(officer, ASSET | {"ward": "   "}).ward is None
        assert assets.create_asset(officer, ASSET).ward is None
        assets.update_asset(officer, asset, {"name": "Leith Library"})
        assert asset.ward == "Leith Walk"  # a change that does not give the ward keeps it

    def test_too_long_or_not_text_is_an_error_and_nothing_is_written(self, officer, make):
        for bad, message in (("W" * 101, "Must be 100 characters or fewer"),
                             (12, "Ward must be text")):
            with pytest.raises(ValidationFailed) as refused:
                assets.create_asset(officer, ASSET | {"ward": bad})
            assert [(e.field, e.message) for e in refused.value.errors] == [("ward", message)]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Asset)) == 0
        assert assets.create_asset(officer, ASSET | {"ward": "W" * 100}).ward == "W" * 100

    def test_a_csv_column(self, officer):
        header = "name,asset_type,address,postcode,ward\n"
        bad = header + "Hall,community_centre,1 Rd,EH1 1YZ, Portobello \n" \
                       f"Park,park,2 Rd,EH1 1YZ,{'P' * 101}\n"
        with pytest.raises(ValidationFailed) as refused:
            assets.import_csv(officer, bad)
        assert [e.field for e in refused.value.errors] == ["row 3: ward"]
        assert assets.search_assets().total == 0
        imported = assets.import_csv(officer, header + "Hall,community_centre,1 Rd,EH1 1YZ,"
                                                       " Portobello \nPark,park,2 Rd,EH1 1YZ,\n")
        assert [(a.name, a.ward) for a in imported] == [("Hall", "Portobello"), ("Park", None)]


class TestAssetRegister:
    @pytest.fixture
    def wards(self, make):
        make.AssetFactory(name="Carnegie Library", ward="Riverside")
        make.AssetFactory(name="Mill Hall", ward="riverside")  # the same ward, typed otherwise
        make.AssetFactory(name="Eastfield Centre", ward="Eastfield")
        make.AssetFactory(name="Town Toilets", ward=None)
        db.session.commit()

    def test_each_ward_in_use_once_in_order(self, wards):
        assert assets.ward_choices() == ["Eastfield", "Riverside"]

    def test_filter_by_ward_whatever_its_case(self, wards):
        assert names(assets.search_assets(ward="Riverside")) == ["Carnegie Library", "Mill Hall"]
        assert names(assets.search_assets(ward="EASTFIELD")) == ["Eastfield Centre"]

    def test_a_ward_not_in_use_is_an_error(self, wards):
        with pytest.raises(ValidationFailed) as refused:
            assets.search_assets(ward="Atlantis")
        assert [(e.field, e.message) for e in refused.value.errors] == [
            ("ward", "Choose a ward from the list")]


class TestRegisterOfRequests:
    @pytest.fixture
    def requests(self, make):
        riverside = make.AssetFactory(name="Riverside Park", ward="Riverside")
        eastfield = make.AssetFactory(name="Eastfield Centre", ward="Eastfield")
        make.AssetFactory(name="Hilltop Hall", ward="Hilltop")  # no request sent for it
        quiet = make.AssetFactory(name="Quiet Yard", ward="Quietside")
        make.ApplicationFactory(workflow="council-cat", state="eoi_draft", asset=quiet)  # draft
        park = sent_request("scotland-atr", "representations", asset=riverside,
                            submitted=days_ago(3))
        centre = sent_request("council-cat", "eoi_submitted", asset=eastfield,
                              submitted=days_ago(1))
        db.session.commit()
        return park, centre

    def test_the_wards_of_sent_requests_only(self, requests):
        assert register.ward_choices() == ["Eastfield", "Riverside"]

    def test_filter_by_ward(self, requests):
        park, centre = requests
        assert [e.reference for e in register.search_register(ward="riverside").items] == [
            park.reference]
        assert register.search_register(ward="Eastfield").items[0].ward == "Eastfield"
        with pytest.raises(ValidationFailed) as refused:
            register.search_register(ward="Hilltop")
        assert [e.field for e in refused.value.errors] == ["ward"]

    def test_the_entry_and_the_open_data_give_the_ward(self, requests, make):
        park, _ = requests
        unknown = sent_request("council-cat", "eoi_submitted", asset=make.AssetFactory(ward=None),
                               submitted=days_ago(0))
        db.session.commit()
        assert register.register_entry(park.reference).entry.ward == "Riverside"
        by_reference = {r["reference"]: r for r in register_data.as_json()["requests"]}
        assert by_reference[park.reference]["ward"] == "Riverside"
        assert by_reference[unknown.reference]["ward"] is None
        rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(register_data.as_csv()))}
        assert rows[park.reference]["ward"] == "Riverside" and rows[unknown.reference]["ward"] == ""
