"""The list of assets of community value (Localism Act 2011 s87, s97) and its open data: which
cases are on it, and dates taken from the deadlines the workflow stored, never worked out again."""
import csv
import hashlib
import io
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assettransfer.extensions import db
from assettransfer.models import Deadline, Event
from assettransfer.services import open_data
from assettransfer.services.community_value import LISTED_STATES, listed_assets

TODAY = date(2027, 1, 10)
DATASET_FIELDS = [
    "reference", "name", "description", "address-text", "point", "geometry", "organisation",
    "nominating-group", "nomination-date", "decision", "decision-date", "expiry-date",
    "notification-to-sell-date", "interested-group", "protected-period-start-date",
    "start-date", "end-date", "entry-date", "notes",
]
SQUARE = [[-1.5, 52.0], [-1.5, 52.001], [-1.498, 52.001], [-1.5, 52.0]]


def event(application, action, payload=None) -> Event:
    """An entry of the case's trail, as the engine would have appended it."""
    seq = 1 + (db.session.scalar(db.select(db.func.max(Event.seq))
                                 .where(Event.application_id == application.id)) or 0)
    row = Event(application_id=application.id, seq=seq, actor_name="Officer",
                actor_role="officer", action=action, to_state=application.state,
                payload=payload or {}, prev_hash="0" * 64,
                hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest())
    db.session.add(row)
    db.session.flush()
    return row


def clock(application, name, starts_on, due_on, by: Event, superseded=False) -> Deadline:
    row = Deadline(application_id=application.id, name=name, starts_on=starts_on, due_on=due_on,
                   rule="as stored", event_id=by.id,
                   superseded_at=datetime(2026, 12, 1, tzinfo=UTC) if superseded else None)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def listed(make):
    """The Red Lion, nominated on 3 August 2026 by the Friends of the Red Lion, listed on
    28 September 2026. The stored end of the listing is deliberately not 5 years on, so a list
    that worked it out again would show another date."""
    asset = make.AssetFactory(name="The Red Lion", address="1 High Street\nExampletown",
                              postcode="EX1 1AA", estimated_market_value=Decimal("475000"),
                              latitude=Decimal("52.000500"), longitude=Decimal("-1.499000"),
                              boundary={"type": "Polygon", "coordinates": [SQUARE]})
    application = make.ApplicationFactory(
        workflow="england-acv", state="listed", asset=asset, reference="ACV-2026-0001",
        organisation=make.OrganisationFactory(name="Friends of the Red Lion"),
        submitted_at=datetime(2026, 8, 3, 10, tzinfo=UTC))
    clock(application, "listing_expiry", date(2026, 9, 28), date(2031, 9, 30),
          event(application, "list"))
    return application


def notify(application, on: date, ends=(date(2027, 1, 18), date(2027, 6, 7),
                                        date(2028, 6, 5))):
    application.state = "interim_moratorium"
    notice = event(application, "notify_disposal", {"notice_received_on": on.isoformat()})
    for name, due in zip(("interim_moratorium", "full_moratorium", "protected_period"), ends,
                         strict=True):
        clock(application, name, on, due, notice)
    return notice


def test_listed_states_are_the_workflows_and_the_retired_review_stage(app):
    path = Path(app.config["WORKFLOWS_DIR"]) / "england-acv.yaml"
    definition = yaml.safe_load(path.read_text())
    listed_states = definition["actions"]["request_owner_review"]["from"]
    assert set(LISTED_STATES) == {*listed_states, "owner_review"}


def test_a_listed_asset_shows_the_stored_dates(listed):
    [entry] = listed_assets(TODAY)
    assert (entry.reference, entry.asset.name, entry.address, entry.nominated_by) == (
        "ACV-2026-0001", "The Red Lion", "1 High Street, Exampletown, EX1 1AA",
        "Friends of the Red Lion")
    assert (entry.nominated_on, entry.listed_on, entry.listing_ends, entry.disposal) == (
        date(2026, 8, 3), date(2026, 9, 28), date(2031, 9, 30), None)
    with pytest.raises(AttributeError):
        entry.asset.estimated_market_value  # noqa: B018  (only the public view is handed out)


@pytest.mark.parametrize("state, on_the_list", [
    ("listed", True), ("owner_review", True), ("interim_moratorium", True),
    ("full_moratorium", True), ("protected_period", True), ("nominated", False),
    ("not_listed", False), ("delisted", False), ("expired", False), ("removed", False),
    ("transferred", False),
])
def test_only_land_in_a_listed_stage_is_on_the_list(listed, make, state, on_the_list):
    listed.state = state
    make.ApplicationFactory(workflow="council-cat", state="eoi_submitted")
    assert [e.reference for e in listed_assets(TODAY)] == (["ACV-2026-0001"] if on_the_list
                                                           else [])


def test_an_owners_notice_shows_its_date_and_the_ends_of_the_three_periods(listed):
    notify(listed, date(2026, 12, 7))
    event(listed, "express_interest", {"statement": "We wish to bid."})
    event(listed, "record_interest", {"group_name": "Exampletown Community Pub Ltd",
                                      "group_address": "5 Mill Lane", "received_on": "2027-01-04"})
    [entry] = listed_assets(TODAY)
    disposal = entry.disposal
    assert (disposal.notified_on, disposal.protected_from, disposal.interim_ends,
            disposal.full_ends, disposal.protected_ends) == (
        date(2026, 12, 7), date(2026, 12, 7), date(2027, 1, 18), date(2027, 6, 7),
        date(2028, 6, 5))
    assert disposal.interested_groups == ("Friends of the Red Lion",
                                          "Exampletown Community Pub Ltd")


def test_an_extended_period_shows_its_new_end_and_an_old_notice_stops_showing(listed):
    notice = notify(listed, date(2026, 12, 7))
    db.session.execute(db.update(Deadline).where(Deadline.name == "full_moratorium")
                       .values(superseded_at=datetime(2026, 12, 20, tzinfo=UTC)))
    clock(listed, "full_moratorium", date(2026, 12, 7), date(2027, 6, 30), notice)
    assert listed_assets(TODAY)[0].disposal.full_ends == date(2027, 6, 30)
    # after the protected period the owner may sell to anyone: the notice no longer bears
    assert listed_assets(date(2028, 6, 5))[0].disposal is not None
    assert listed_assets(date(2028, 6, 6))[0].disposal is None


def unsuccessful(make):
    application = make.ApplicationFactory(
        workflow="england-acv", state="not_listed", reference="ACV-2026-0002",
        asset=make.AssetFactory(name="Bus Shelter", description="A shelter."),
        organisation=make.OrganisationFactory(name="Shelter Society"),
        submitted_at=datetime(2026, 10, 1, 9, tzinfo=UTC))
    decline = event(application, "decline", {"reasons": "Ancillary use only."})
    clock(application, "unsuccessful_nomination", date(2026, 11, 20), date(2031, 11, 19),
          decline)
    return application


def test_open_data_has_the_datasets_fields_in_order_for_both_lists(listed, make):
    unsuccessful(make)
    notify(listed, date(2026, 12, 7))
    rows = open_data.records("local-authority:EXA", TODAY)
    table = list(csv.reader(io.StringIO(open_data.as_csv(rows))))
    assert table[0] == DATASET_FIELDS
    record = dict(zip(table[0], table[1], strict=True))
    assert record == {
        "reference": "ACV-2026-0001", "name": "The Red Lion",
        "description": "A riverside park with a pavilion and play area.",
        "address-text": "1 High Street, Exampletown, EX1 1AA",
        "point": "POINT(-1.499 52.0005)",
        "geometry": "MULTIPOLYGON(((-1.5 52,-1.5 52.001,-1.498 52.001,-1.5 52)))",
        "organisation": "local-authority:EXA", "nominating-group": "Friends of the Red Lion",
        "nomination-date": "2026-08-03", "decision": "successful",
        "decision-date": "2026-09-28", "expiry-date": "2031-09-30",
        "notification-to-sell-date": "2026-12-07", "interested-group": "",
        "protected-period-start-date": "2026-12-07", "start-date": "2026-08-03",
        "end-date": "", "entry-date": "2026-09-28",
        "notes": "Interim moratorium ends 2027-01-18; full moratorium ends 2027-06-07; "
                 "protected period ends 2028-06-05.",
    }
    refused = dict(zip(table[0], table[2], strict=True))
    assert (refused["decision"], refused["decision-date"], refused["expiry-date"],
            refused["point"]) == ("unsuccessful", "2026-11-20", "", "")
    assert refused["notes"] == ("Not listed: Ancillary use only. On the list of unsuccessful "
                                "nominations until 2031-11-19.")
    document = json.loads(open_data.as_json(rows))
    assert document["licence"]["name"] == "Open Government Licence v3.0"
    assert [list(entity) for entity in document["entities"]] == [DATASET_FIELDS] * 2
    features = json.loads(open_data.as_geojson(rows))["features"]
    assert [list(f["properties"]) for f in features] == [DATASET_FIELDS] * 2
    assert features[0]["geometry"] == {"type": "Polygon", "coordinates": [SQUARE]}
    assert features[1]["geometry"] is None
    assert "475000" not in open_data.as_csv(rows) + open_data.as_json(rows)
