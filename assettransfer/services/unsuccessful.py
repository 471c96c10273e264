"""The list of land nominated by unsuccessful community nominations (Localism Act 2011 s93).

Declining a nomination enters the land on the list with the reasons; the england-acv workflow
keeps each entry as a deadline (``ENTRY``) that ends five years later. This is what may be
published of the list, for a public page.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Application, Deadline, Event
from ..wording import as_date, lines
from ..workflow.calendar import uk_today
from .public import public_asset

ENTRY = "unsuccessful_nomination"  # the deadline england-acv.yaml keeps each entry as


@dataclass(frozen=True)
class UnsuccessfulNomination:
    """One entry on the list: the land, who nominated it, when and why it was not listed."""

    reference: str
    asset_name: str
    asset_address: str
    nominated_by: str
    entered_on: date
    reasons: str
    kept_until: date
    nominated_on: date | None = None
    asset: object = field(default=None, compare=False)  # its public view, for open data


def unsuccessful_nominations(today: date | None = None) -> list[UnsuccessfulNomination]:
    """The entries on the list on ``today`` (default: today), the newest first."""
    today = today or uk_today()
    rows = db.session.execute(
        select(Deadline, Application, Event)
        .join(Application, Application.id == Deadline.application_id)
        .join(Event, Event.id == Deadline.event_id)
        .where(Deadline.name == ENTRY, Deadline.superseded_at.is_(None),
               Deadline.starts_on <= today, Deadline.due_on >= today)
        .order_by(Deadline.starts_on.desc(), Deadline.id.desc())
    )
    return [
        UnsuccessfulNomination(
            reference=application.reference, asset_name=application.asset.name,
            asset_address=", ".join(lines(application.asset.address)
                                    + [application.asset.postcode]),
            nominated_by=application.organisation.name, entered_on=entry.starts_on,
            reasons=event.payload.get("reasons", ""), kept_until=entry.due_on,
            nominated_on=as_date(application.submitted_at),
            asset=public_asset(application.asset))
        for entry, application, event in rows
    ]
