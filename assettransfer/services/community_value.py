"""The list of assets of community value (Localism Act 2011 s87), as anyone may see it.

An entry is an england-acv case whose land is listed, whatever its stage: under an owner's review
or a moratorium the land stays on the list. Its dates are the ones the workflow stored when it
acted (``Deadline`` rows: the listing, and the periods an owner's notice of an intended disposal
started), never worked out again here. Where an owner has notified an intended disposal, s97(2)
requires the entry to show that, the date the council received the notice, and the ends of the
interim moratorium, the full moratorium and the protected period.

What is shown is decided here, field by field: the asset through its public view
(``services.public``); the nominating group's name; the dates; the names of groups that asked to
be treated as potential bidders. Nothing about the owner or the occupier (their names and
addresses are in the nomination, for the council's letters) and nothing of the nomination's
answers: s87 and s97 ask for none of it.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Application, Deadline, Event
from ..wording import as_date, lines
from ..workflow.calendar import uk_today
from .public import public_asset

WORKFLOW = "england-acv"
# The stages in which the land is on the list: england-acv.yaml's ``listed_states`` (the stages
# an owner's review may be asked from), and the retired review stage, in which it stayed listed.
LISTED_STATES = ("listed", "owner_review", "interim_moratorium", "full_moratorium",
                 "protected_period")
LISTING = "listing_expiry"  # the deadline the listing is kept as: it starts on the day of listing
INTERIM, FULL, PROTECTED = "interim_moratorium", "full_moratorium", "protected_period"
# The actions by which a community interest group asks to be treated as a potential bidder.
INTEREST_ACTIONS = ("express_interest", "record_interest")


@dataclass(frozen=True)
class Disposal:
    """An owner's notice of an intended disposal (s95(2)) and the periods it started (s97(2))."""

    notified_on: date
    protected_from: date
    interim_ends: date
    full_ends: date
    protected_ends: date
    interested_groups: tuple[str, ...]


@dataclass(frozen=True)
class ListedAsset:
    """One entry on the list."""

    reference: str
    asset: object  # the asset's public view
    address: str
    nominated_by: str
    nominated_on: date | None
    listed_on: date
    listing_ends: date
    disposal: Disposal | None


def address_text(asset) -> str:
    """The asset's address on one line, with its postcode."""
    return ", ".join([*lines(asset.address), asset.postcode])


def listed_assets(today: date | None = None) -> list[ListedAsset]:
    """Every asset on the list, the most recently listed first."""
    today = today or uk_today()
    applications = db.session.scalars(
        select(Application)
        .options(joinedload(Application.asset), joinedload(Application.organisation))
        .where(Application.workflow == WORKFLOW, Application.state.in_(LISTED_STATES))
    ).all()
    ids = [a.id for a in applications]
    clocks = _latest_deadlines(ids)
    interest = _interest_events(ids)
    entries = []
    for application in applications:
        listing = clocks.get((application.id, LISTING))
        if listing is None:  # a case recorded before listings were kept: nothing to show
            continue
        entries.append(ListedAsset(
            reference=application.reference, asset=public_asset(application.asset),
            address=address_text(application.asset),
            nominated_by=application.organisation.name,
            nominated_on=as_date(application.submitted_at),
            listed_on=listing.starts_on, listing_ends=listing.due_on,
            disposal=_disposal(application, clocks, interest, today)))
    return sorted(entries, key=lambda e: (e.listed_on, e.reference), reverse=True)


def _latest_deadlines(ids: list[int]) -> dict[tuple[int, str], Deadline]:
    """The current row of each listing clock of each application (an extension supersedes a
    row; a new notice starts new ones): the latest not superseded."""
    rows = db.session.scalars(
        select(Deadline).where(Deadline.application_id.in_(ids),
                               Deadline.name.in_((LISTING, INTERIM, FULL, PROTECTED)),
                               Deadline.superseded_at.is_(None))
        .order_by(Deadline.starts_on, Deadline.id)
    ) if ids else []
    return {(row.application_id, row.name): row for row in rows}


def _interest_events(ids: list[int]) -> dict[int, list[Event]]:
    found: dict[int, list[Event]] = {}
    if ids:
        for event in db.session.scalars(
                select(Event).where(Event.application_id.in_(ids),
                                    Event.action.in_(INTEREST_ACTIONS)).order_by(Event.seq)):
            found.setdefault(event.application_id, []).append(event)
    return found


def _disposal(application, clocks, interest, today: date) -> Disposal | None:
    """The latest notice, while its protected period lasts; after that the owner may sell to
    anyone and the notice no longer bears on the land."""
    interim, full, protected = (clocks.get((application.id, name))
                                for name in (INTERIM, FULL, PROTECTED))
    if interim is None or full is None or protected is None or protected.due_on < today:
        return None
    groups = tuple(dict.fromkeys(
        _group(event, application) for event in interest.get(application.id, [])
        if interim.event_id is None or event.id > interim.event_id))
    return Disposal(notified_on=interim.starts_on, protected_from=protected.starts_on,
                    interim_ends=interim.due_on,
                    full_ends=full.due_on, protected_ends=protected.due_on,
                    interested_groups=groups)


def _group(event: Event, application: Application) -> str:
    """The group that asked: named by the officer who recorded its request, or the nominator."""
    if event.action == "record_interest":
        return event.payload.get("group_name", "")
    return application.organisation.name
