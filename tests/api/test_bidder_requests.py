"""POST /assets/{id}/bidder-requests: a registered group other than the nominator asks to be
treated as a potential bidder for a listed asset in its interim moratorium (Localism Act 2011
s95(3)(a))."""
import pytest

from assettransfer.services.organisations import organisations_of
from assettransfer.workflow.calendar import uk_today


@pytest.fixture
def nomination(api, people, asset):
    application = api.start("england-acv", asset.id, people.organisation.id)
    api.walk(application["id"], "listed")
    return application["id"]


def ask(api, asset, organisation_id, as_="outsider"):
    return api.post(f"/assets/{asset.id}/bidder-requests", as_,
                    json={"organisation_id": organisation_id})


def test_another_group_asks_and_the_full_moratorium_applies(api, people, asset, nomination):
    api.act("officer", nomination, "notify_disposal", notice_received_on=uk_today().isoformat(),
            disposal_details="Freehold sale.")
    group = organisations_of(people.outsider)[0]
    request = api.ok(ask(api, asset, group.id), 201)
    after = api.application("officer", nomination)
    due = {d["name"]: d["due_on"] for d in after["deadlines"]}
    assert request == {
        "asset": {"id": asset.id, "name": asset.name, "asset_type": asset.asset_type.value,
                  "postcode": asset.postcode, "status": "under_application"},
        "organisation": {"id": group.id, "name": group.name},
        "received_on": uk_today().isoformat(),
        "full_moratorium_ends": due["full_moratorium"],
        "protected_period_ends": due["protected_period"]}
    assert after["state"] == "full_moratorium"
    trail = api.ok(api.get(f"/applications/{nomination}/events", "officer"))["items"]
    assert (trail[-1]["action"], trail[-1]["actor"]["name"]) == (
        "record_interest", people.outsider.name)
    # The outsider still cannot see the nomination itself.
    assert api.get(f"/applications/{nomination}", "outsider").status_code == 404


def test_refusals_say_why(api, people, asset, nomination):
    group = organisations_of(people.outsider)[0]
    refused = api.ok(ask(api, asset, group.id), 422)  # listed, but no moratorium
    assert refused["errors"] == [{"field": "asset_id",
                                  "message": "No moratorium is running for this asset"}]
    api.act("officer", nomination, "notify_disposal", notice_received_on=uk_today().isoformat(),
            disposal_details="Freehold sale.")
    nominator = api.ok(ask(api, asset, people.organisation.id, as_="member"), 422)
    assert nominator["errors"][0]["field"] == "organisation_id"
    not_mine = api.ok(ask(api, asset, people.organisation.id), 422)
    assert not_mine["errors"] == [{"field": "organisation_id", "message": "No such organisation"}]
    assert ask(api, asset, group.id, as_="officer").status_code == 403
    assert ask(api, asset, group.id, as_=None).status_code == 401
    assert api.post("/assets/999999/bidder-requests", "outsider",
                    json={"organisation_id": group.id}).status_code == 404
    assert api.application("officer", nomination)["state"] == "interim_moratorium"
