"""The lists of assets of community value as open data, in the fields of planning.data.gov.uk's
``assets-of-community-value`` dataset (digital-land specification ``asset-of-community-value``,
working draft 1.0.0), under the Open Government Licence v3.0.

One record per entry on either list the council keeps: the assets of community value (s87,
decision ``successful``) and the unsuccessful nominations (s93, decision ``unsuccessful``, with
the reasons in ``notes``), as the dataset's ``decision`` field is "the decision whether successful
or unsuccessful". Both lists are public by statute, and a user of the data can filter on it.
The values come from the two lists' services, so the open data never shows more than the pages.
"""
import csv
import io
import json
from datetime import date

from .community_value import address_text, listed_assets
from .geography import geometry_wkt, point_wkt
from .licence import OPEN_GOVERNMENT_LICENCE
from .unsuccessful import unsuccessful_nominations

DATASET = "assets-of-community-value"
SUCCESSFUL, UNSUCCESSFUL = "successful", "unsuccessful"
# (field, what it holds here): the dataset's fields, in this order in every format.
FIELDS = (
    ("reference", "The council's reference for the nomination, for example ACV-2026-0001."),
    ("name", "The name of the land or building."),
    ("description", "A description of the land or building, from the council's asset register."),
    ("address-text", "The address, on one line, with the postcode."),
    ("point", "Where it is: WKT POINT(longitude latitude) in WGS84, if recorded."),
    ("geometry", "Its boundary: WKT MULTIPOLYGON in WGS84, if recorded."),
    ("organisation", "The authority whose list it is on, as a planning.data.gov.uk organisation "
                     "code (for example local-authority:CMD), if the council has set one."),
    ("nominating-group", "The community group that nominated it."),
    ("nomination-date", "The date the nomination was sent to the council."),
    ("decision", "successful: listed as an asset of community value; unsuccessful: on the "
                 "list of unsuccessful nominations."),
    ("decision-date", "The date the council listed it, or decided not to."),
    ("expiry-date", "The last day of the listing (5 years beginning with the listing date). "
                    "Empty for an unsuccessful nomination."),
    ("notification-to-sell-date", "The date the council received the owner's notice of an "
                                  "intended disposal, while that notice has effect."),
    ("interested-group", "The community interest groups that asked to be treated as potential "
                         "bidders after that notice, separated by semicolons."),
    ("protected-period-start-date", "The date the protected period starts: it lasts 18 months "
                                    "beginning with the date of the owner's notice."),
    ("start-date", "The date the asset was nominated."),
    ("end-date", "The date the entry was removed from the list: empty, as only current "
                 "entries are published."),
    ("entry-date", "The date the entry was made on the list: the decision date."),
    ("notes", "For a listed asset under a moratorium, the last days of the interim "
              "moratorium, the full moratorium and the protected period; for an unsuccessful "
              "nomination, the reasons it was not listed and how long the entry is kept."),
)
FIELD_NAMES = tuple(name for name, _ in FIELDS)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def records(organisation: str = "", today: date | None = None) -> list[dict]:
    """Every current entry of both lists, listed assets first, as the dataset's fields."""
    rows = []
    for entry in listed_assets(today):
        disposal = entry.disposal
        rows.append(_record(
            entry.asset, reference=entry.reference, organisation=organisation,
            nominated_by=entry.nominated_by, nominated_on=entry.nominated_on,
            decision=SUCCESSFUL, decided_on=entry.listed_on, expiry=_iso(entry.listing_ends),
            notified=_iso(disposal and disposal.notified_on),
            interested="; ".join(disposal.interested_groups) if disposal else "",
            protected_from=_iso(disposal and disposal.protected_from),
            notes=(f"Interim moratorium ends {_iso(disposal.interim_ends)}; full moratorium "
                   f"ends {_iso(disposal.full_ends)}; protected period ends "
                   f"{_iso(disposal.protected_ends)}.") if disposal else ""))
    for entry in unsuccessful_nominations(today):
        rows.append(_record(
            entry.asset, reference=entry.reference, organisation=organisation,
            nominated_by=entry.nominated_by, nominated_on=entry.nominated_on,
            decision=UNSUCCESSFUL, decided_on=entry.entered_on, expiry="", notified="",
            interested="", protected_from="",
            notes=f"Not listed: {entry.reasons.strip().rstrip('.')}. On the list of unsuccessful "
                  f"nominations until {_iso(entry.kept_until)}."))
    return rows


def _record(asset, *, reference, organisation, nominated_by, nominated_on, decision, decided_on,
            expiry, notified, interested, protected_from, notes) -> dict:
    values = {
        "reference": reference, "name": asset.name, "description": asset.description,
        "address-text": address_text(asset), "point": point_wkt(asset.latitude, asset.longitude),
        "geometry": geometry_wkt(asset.boundary), "organisation": organisation,
        "nominating-group": nominated_by, "nomination-date": _iso(nominated_on),
        "decision": decision, "decision-date": _iso(decided_on), "expiry-date": expiry,
        "notification-to-sell-date": notified, "interested-group": interested,
        "protected-period-start-date": protected_from, "start-date": _iso(nominated_on),
        "end-date": "", "entry-date": _iso(decided_on), "notes": notes,
    }
    values["_geojson"] = _geometry(asset)
    return values


def _geometry(asset) -> dict | None:
    """The boundary if recorded, else the point, as a GeoJSON geometry; None without either."""
    if asset.boundary:
        return asset.boundary
    if asset.latitude is not None:
        return {"type": "Point", "coordinates": [float(asset.longitude), float(asset.latitude)]}
    return None


def _fields(record: dict) -> dict:
    return {name: record[name] for name in FIELD_NAMES}


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELD_NAMES)
    writer.writerows([record[name] for name in FIELD_NAMES] for record in rows)
    return out.getvalue()


def _about() -> dict:
    return {"dataset": DATASET, "licence": OPEN_GOVERNMENT_LICENCE}


def as_json(rows: list[dict]) -> str:
    """The records in the fields' order (so not through a serialiser that sorts keys)."""
    return json.dumps({**_about(), "entities": [_fields(r) for r in rows]}, ensure_ascii=False)


def as_geojson(rows: list[dict]) -> str:
    """A FeatureCollection (RFC 7946): each record's boundary, or point, as its geometry and
    all its fields as properties; the licence as a foreign member of the collection."""
    return json.dumps({
        "type": "FeatureCollection", **_about(),
        "features": [{"type": "Feature", "geometry": r["_geojson"], "properties": _fields(r)}
                     for r in rows],
    }, ensure_ascii=False)
