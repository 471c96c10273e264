"""The public register of requests and decisions (SSI 2016/357 reg 9; SSI 2016/358 reg 5): every
request a group has sent, on every route, as anyone may see it.

It reads the live case tables, so it changes in the transaction that changes the case. What it
shows of a case is decided in ``services.public``; this module returns only the public views
below (never a model row), for the pages and the open data alike.
"""
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, exists, false, func, or_, select

from ..extensions import db
from ..models import Application, Asset, Event, Organisation
from ..wording import UK_TIME, as_date
from ..workflow import workflows
from . import public, register_documents
from .casework import representations_close_on
from .deadlines import current_deadlines
from .errors import FieldError, NotFound, ValidationFailed
from .records import Page, page_bounds
from .register_documents import PublicDocument, PublicFile
from .wards import in_ward, wards_in_use

NO_DECISION = "none"  # the decision filter's value for requests not yet decided
COUNCIL_ROLES_WHO_DECIDE = ("officer", "decision_maker", "legal")


@dataclass(frozen=True)
class RegisterEntry:
    """One request as the register lists it (and the open data gives it)."""

    reference: str
    route: str  # the workflow's key
    route_title: str
    stage: str  # the state's public label
    finished: bool
    asset_id: int
    asset_name: str
    asset_postcode: str
    ward: str | None  # the asset's electoral ward
    applicant: str  # the body's name: a body, never a person
    transfer_type: str | None
    submitted_on: date
    decision: str | None  # the latest decision's outcome, in words
    decided_on: date | None


@dataclass(frozen=True)
class Decision:
    action: str  # what the council did, in words ("Refuse the request")
    outcome: str  # the stage it led to ("Refused")
    decided_on: date
    details: list[tuple[str, str]]  # the public data it recorded: reasons, terms


@dataclass(frozen=True)
class RegisterDetail:
    entry: RegisterEntry
    asset: object  # the asset's public view (services.public.public_asset): its map, its facts
    legal_basis: str
    asked_for: list[tuple[str, str]]  # the public answers of the request, labelled
    dates: list[tuple[str, date]]
    decisions: list[Decision]  # oldest first
    documents: list[PublicDocument]
    representations_close_on: date | None  # set while representations can be made online


# ---- What counts as a decision, a stage ----

def decision_actions(workflow) -> dict[str, object]:
    """The actions that decide a request, by name: the council's, moving the case on, with the
    reasons given (a refusal, an agreement, a listing, a review or appeal outcome)."""
    return {a.name: a for a in workflow.actions.values()
            if a.dest and not a.internal and any(f.name == "reasons" for f in a.fields)
            and all(role in COUNCIL_ROLES_WHO_DECIDE for role in a.roles)}


def stage_choices() -> list[str]:
    """The public labels of every stage a sent request can be at, for the stage filter."""
    return sorted({s.public_label for w in workflows() for s in w.states.values()
                   if s.name != w.initial_state})


def decision_choices() -> list[str]:
    """The outcomes a decision can have, for the decision filter."""
    return sorted({w.states[a.dest].public_label for w in workflows()
                   for a in decision_actions(w).values()})


def route_choices() -> list[tuple[str, str]]:
    return [(w.key, w.title) for w in workflows()]


def ward_choices() -> list[str]:
    """The wards of the assets sent requests are for, for the ward filter."""
    return wards_in_use(Asset.id.in_(select(Application.asset_id)
                                     .where(Application.submitted_at.is_not(None))))


# ---- The list ----

# What a list entry reads of the asset and the group, after the application (``_entry``).
ENTRY_COLUMNS = (Asset.name, Asset.postcode, Asset.ward, Organisation.name)

def _decision_events(outcome: str | None = None):
    """Events that are decisions (with ``outcome``, those leading to a stage of that label),
    of the application in the enclosing query."""
    pairs = [and_(Application.workflow == w.key, Event.action.in_(
        [a.name for a in decision_actions(w).values()
         if outcome is None or w.states[a.dest].public_label == outcome]))
        for w in workflows()]
    return and_(Event.application_id == Application.id, or_(false(), *pairs))


def _parse_day(raw: str | None, field: str, errors: list[FieldError]) -> date | None:
    if not raw:
        return None
    text = raw.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except (ValueError, OverflowError):
        errors.append(FieldError(field, "Enter a real date, like 31/1/2027"))
        return None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), UK_TIME)


def search_register(q=None, route=None, stage=None, decision=None, postcode=None, ward=None,
                    submitted_from=None, submitted_to=None, page=1, per_page=20) -> Page:
    """Sent requests matching the filters, newest first, as ``RegisterEntry``s. ``q`` searches
    the reference, the asset's name and the applicant's name; unknown filter values are errors."""
    page, per_page = page_bounds(page, per_page)
    errors: list[FieldError] = []
    query = (select(Application, *ENTRY_COLUMNS)
             .join(Application.asset).join(Application.organisation)
             .where(Application.submitted_at.is_not(None)))
    if q:
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(Application.reference).like(like),
                                func.lower(Asset.name).like(like),
                                func.lower(Organisation.name).like(like)))
    if route:
        if workflows().get(route) is None:
            errors.append(FieldError("route", "Choose a route from the list"))
        query = query.where(Application.workflow == route)
    if stage:
        pairs = [(w.key, s.name) for w in workflows() for s in w.states.values()
                 if s.public_label == stage]
        if not pairs:
            errors.append(FieldError("stage", "Choose a stage from the list"))
        query = query.where(or_(false(), *[and_(Application.workflow == k, Application.state == s)
                                           for k, s in pairs]))
    if decision == NO_DECISION:
        query = query.where(~exists().where(_decision_events()))
    elif decision:
        if decision not in decision_choices():
            errors.append(FieldError("decision", "Choose a decision from the list"))
        query = query.where(exists().where(_decision_events(decision)))
    if postcode:
        query = query.where(func.upper(func.replace(Asset.postcode, " ", "")).like(
            postcode.replace(" ", "").upper() + "%"))
    if ward:
        query = query.where(in_ward(ward, ward_choices(), errors))
    start = _parse_day(submitted_from, "submitted_from", errors)
    end = _parse_day(submitted_to, "submitted_to", errors)
    if start and end and end < start:
        errors.append(FieldError("submitted_to", "The end date must be on or after the start"))
    if start:
        query = query.where(Application.submitted_at >= _start_of(start))
    if end:
        query = query.where(Application.submitted_at < _start_of(date.fromordinal(
            end.toordinal() + 1)))
    if errors:
        raise ValidationFailed("The search filters need correcting", errors)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(Application.submitted_at.desc(), Application.id.desc())
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return Page(_entries(rows), total, page, per_page)


def all_entries() -> list[RegisterEntry]:
    """Every sent request, oldest first (the open data)."""
    rows = db.session.execute(
        select(Application, *ENTRY_COLUMNS)
        .join(Application.asset).join(Application.organisation)
        .where(Application.submitted_at.is_not(None))
        .order_by(Application.submitted_at, Application.id)).all()
    return _entries(rows)


def _decisions(applications: list[Application]) -> dict[int, list[Decision]]:
    """The decisions on each of ``applications`` (by id), oldest first: one query for them all."""
    found: dict[int, list[Decision]] = {a.id: [] for a in applications}
    by_id = {a.id: a for a in applications}
    for chunk in range(0, len(applications), 500):  # within every database's parameter limit
        ids = [a.id for a in applications[chunk:chunk + 500]]
        events = db.session.scalars(
            select(Event).where(Event.application_id.in_(ids), _decision_events())
            .order_by(Event.application_id, Event.seq))
        for event in events:
            workflow = workflows()[by_id[event.application_id].workflow]
            action = decision_actions(workflow)[event.action]
            found[event.application_id].append(Decision(
                action=action.label, outcome=workflow.states[action.dest].public_label,
                decided_on=as_date(event.at),
                details=public.public_decision_data(action, event.payload or {})))
    return found


def _entries(rows) -> list[RegisterEntry]:
    decisions = _decisions([row[0] for row in rows])
    return [_entry(*row, decisions[row[0].id]) for row in rows]


def _entry(application: Application, asset_name: str, postcode: str, ward: str | None,
           organisation: str, decisions: list[Decision]) -> RegisterEntry:
    workflow = workflows()[application.workflow]
    state = workflow.states[application.state]
    latest = decisions[-1] if decisions else None
    return RegisterEntry(
        reference=application.reference, route=workflow.key, route_title=workflow.title,
        stage=state.public_label, finished=state.final, asset_id=application.asset_id,
        asset_name=asset_name, asset_postcode=postcode, ward=ward, applicant=organisation,
        transfer_type=public.transfer_type(application, workflow),
        submitted_on=as_date(application.submitted_at),
        decision=latest.outcome if latest else None,
        decided_on=latest.decided_on if latest else None)


# ---- One request ----

def _sent(reference: str) -> Application:
    application = db.session.scalar(
        select(Application).where(Application.reference == str(reference)[:20],
                                  Application.submitted_at.is_not(None)))
    if application is None:
        raise NotFound("No such request on the register")
    return application


def _dates(application: Application, workflow) -> list[tuple[str, date]]:
    """Sent, validated, and each period's closing date (representations, the decision, a review
    or appeal), as the case's deadlines have them now."""
    dates = [("Sent", as_date(application.submitted_at))]
    validated = db.session.scalar(
        select(Event.payload).where(Event.application_id == application.id,
                                    Event.action == "validate").order_by(Event.seq.desc())
        .limit(1))
    if validated and validated.get("validation_date"):
        dates.append(("Validated", as_date(validated["validation_date"])))
    for row in current_deadlines(application):
        rule = workflow.deadlines.get(row.name)
        if rule is not None:
            dates.append((rule.label, row.due_on))
    return dates


def register_entry(reference: str) -> RegisterDetail:
    """A sent request as the register shows it; NotFound for a draft or an unknown reference."""
    application = _sent(reference)
    workflow = workflows()[application.workflow]
    decisions = _decisions([application])[application.id]
    return RegisterDetail(
        entry=_entry(application, application.asset.name, application.asset.postcode,
                     application.asset.ward, application.organisation.name, decisions),
        asset=public.public_asset(application.asset),
        legal_basis=workflow.legal_basis,
        asked_for=public.public_answers(application, workflow),
        dates=_dates(application, workflow) + [(f"Decision: {d.outcome}", d.decided_on)
                                               for d in decisions],
        decisions=decisions,
        documents=register_documents.published(application),
        representations_close_on=representations_close_on(application))


def request_for_representation(reference: str) -> Application:
    """The sent request a representation is made on (the service checks it is open for them)."""
    return _sent(reference)


def public_document(reference: str, document_id) -> PublicFile:
    """The PDF the register publishes of a document of a sent request (a notice as issued, a
    letter's published copy); NotFound for any other document, or a draft or unknown request."""
    return register_documents.published_file(_sent(reference), document_id)
