"""The register of requests and decisions as open data: one row per sent request, with the public
fields of ``services.register`` only, under the Open Government Licence v3.0.

``FIELDS`` describes each column (its name, meaning and type) for the CSV, the JSON and the page
that documents them, so the three cannot disagree.
"""
import csv
import io
from dataclasses import dataclass

from .licence import OPEN_GOVERNMENT_LICENCE
from .register import RegisterEntry, all_entries

NAME = "asset-transfer-requests"


@dataclass(frozen=True)
class DataField:
    name: str
    meaning: str
    type: str  # as the JSON gives it: string, date (ISO 8601, YYYY-MM-DD), boolean, integer
    nullable: bool = False

    def value(self, entry: RegisterEntry):
        return getattr(entry, self.name)


FIELDS = (
    DataField("reference", "The council's reference for the request; its page on the register "
              "is /register/<reference>", "string"),
    DataField("route", "The process it follows: scotland-atr (an asset transfer request under "
              "the Community Empowerment (Scotland) Act 2015, Part 5), england-acv (a "
              "nomination of an asset of community value, Localism Act 2011) or council-cat "
              "(community asset transfer under the council's own policy)", "string"),
    DataField("route_title", "The process's name, in words", "string"),
    DataField("stage", "Where the request is now, in words", "string"),
    DataField("finished", "Whether the request has reached the end of its process", "boolean"),
    DataField("asset_id", "The asset's number on the council's asset register "
              "(/assets/<asset_id>)", "integer"),
    DataField("asset_name", "The asset's name on the register", "string"),
    DataField("asset_postcode", "The asset's postcode", "string"),
    DataField("ward", "The electoral ward the asset is in, where the council has recorded it",
              "string", nullable=True),
    DataField("applicant", "The name of the community body that made the request", "string"),
    DataField("transfer_type", "What kind of transfer is asked for (ownership, a lease, other "
              "rights), where the process asks", "string", nullable=True),
    DataField("submitted_on", "The day the request was sent to the council", "date"),
    DataField("decision", "The outcome of the latest decision on the request", "string",
              nullable=True),
    DataField("decided_on", "The day of the latest decision", "date", nullable=True),
)


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def as_json() -> dict:
    """The whole register as a JSON document, with its licence."""
    return {
        "name": NAME,
        "licence": OPEN_GOVERNMENT_LICENCE,
        "fields": [{"name": f.name, "meaning": f.meaning, "type": f.type,
                    "nullable": f.nullable} for f in FIELDS],
        "requests": [{f.name: _json_value(f.value(e)) for f in FIELDS} for e in all_entries()],
    }


def as_csv() -> str:
    """The whole register as CSV, a header row of the field names first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f.name for f in FIELDS])
    for entry in all_entries():
        writer.writerow([_csv_value(f.value(entry)) for f in FIELDS])
    return out.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_json_value(value))
