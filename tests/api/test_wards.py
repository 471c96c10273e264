"""An asset's ward through the API: set by officers (checked as the form checks it), read by
anyone, and a filter of the asset list."""
from assettransfer.extensions import db
from assettransfer.models import Asset

NEW = {"name": "Eastfield Hall", "asset_type": "community_centre", "address": "2 Eastfield Way",
       "postcode": "EX3 1GH"}


def test_set_read_and_filtered(api, asset):
    created = api.ok(api.post("/assets", "officer", json=NEW | {"ward": " Eastfield "}), 201)
    assert created["ward"] == "Eastfield"
    assert api.ok(api.get(f"/assets/{created['id']}"))["ward"] == "Eastfield"
    changed = api.ok(api.patch(f"/assets/{created['id']}", "officer", json={"ward": None}))
    assert changed["ward"] is None
    api.patch(f"/assets/{created['id']}", "officer", json={"ward": "Eastfield"})
    listed = api.ok(api.get("/assets?ward=EASTFIELD"))
    assert [a["id"] for a in listed["items"]] == [created["id"]]


def test_bad_values_are_problems_and_nothing_is_written(api, asset):
    before = db.session.scalar(db.select(db.func.count()).select_from(Asset))
    refused = api.post("/assets", "officer", json=NEW | {"ward": "W" * 101})
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "ward"
    assert db.session.scalar(db.select(db.func.count()).select_from(Asset)) == before
    unknown = api.get("/assets?ward=Atlantis")
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "ward"
