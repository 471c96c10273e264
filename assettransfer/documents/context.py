"""What document templates see: ``build_context(application, event, data)``.

Templates get plain values and rows; they never query. The workflow definition is read through
the names the workflow package promises (``title``, ``legal_basis``, ``states[name].label``,
``criteria``, ``pass_mark``, ``documents[kind].title`` and ``.to``, ``parties``,
``deadlines[name].label``) and nothing else.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app

from ..extensions import db
from ..models import Application, Assessment, Deadline, Event, Representation, Signature
from ..models.types import utcnow
from ..wording import as_date, humanise, lines
from ..workflow.scoring import summarise

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#005a9c"

# Words in an action's name that tell a positive decision from a negative one, for letters that
# cover both outcomes (decision notices, EOI outcomes, review decisions). ``data["decision"]``
# ("agreed"/"refused") wins when the action's data gives it.
_POSITIVE = ("agree", "approve", "accept", "grant", "list", "uphold", "confirm")
_NEGATIVE = ("refuse", "reject", "decline", "remove", "not_list", "overturn", "quash")


@dataclass(frozen=True)
class Authority:
    name: str
    address_lines: list[str]
    email: str
    logo_url: str | None
    colour: str
    nation: str


@dataclass(frozen=True)
class Addressee:
    name: str
    organisation: str
    address_lines: list[str]
    named: bool = True  # False: the name is not known, and the letter is to the role ("The owner")


@dataclass(frozen=True)
class DeadlineView:
    """A Deadline row as a notice shows it, with the label from the workflow definition."""

    name: str
    label: str
    starts_on: date
    due_on: date
    rule: str
    is_open: bool
    created_by_event: bool


def workflow_for(application: Application):
    return current_app.extensions["workflows"][application.workflow]


def authority_info(app) -> Authority:
    config = app.config
    colour = config.get("AUTHORITY_COLOUR") or DEFAULT_COLOUR
    return Authority(
        name=config["AUTHORITY_NAME"],
        address_lines=lines(config.get("AUTHORITY_ADDRESS")),
        email=config.get("AUTHORITY_EMAIL") or "",
        logo_url=_logo_url(app),
        # The colour goes into a style attribute: accept nothing but #rrggbb.
        colour=colour if _HEX_COLOUR.match(colour) else DEFAULT_COLOUR,
        nation=config.get("AUTHORITY_NATION") or "",
    )


def _logo_url(app) -> str | None:
    logo = app.config.get("AUTHORITY_LOGO")
    if not logo or not app.static_folder:
        return None
    static = Path(app.static_folder).resolve()
    path = (static / logo).resolve()
    if not path.is_relative_to(static) or not path.is_file():
        return None
    return path.as_uri()


def addressee_of(organisation) -> Addressee:
    lead = organisation.lead_contact
    address = lines(organisation.address)
    if organisation.postcode and organisation.postcode not in address:
        address.append(organisation.postcode)
    return Addressee(
        name=lead.name if lead is not None else organisation.name,
        organisation=organisation.name,
        address_lines=address,
    )


def party_addressees(application: Application, workflow) -> dict[str, Addressee | None]:
    """Where a letter to each of the workflow's parties goes, or None for a party that gets no
    letter of its own (``unless``). Their details are the latest an action gave, else the form's
    answers: who owns the land is what the owner's own request for a review said, before what the
    nominator knew. A name or address not known is written as "The owner" at the land itself:
    Localism Act 2011 s91(2)'s reasonable alternative steps."""
    parties = getattr(workflow, "parties", None) or {}
    if not parties:
        return {}
    payloads = list(db.session.scalars(
        db.select(Event.payload).where(Event.application_id == application.id)
        .order_by(Event.seq.desc())
    ))
    answers = flatten_answers(application.answers)

    def recorded(name: str):
        given = next((p[name] for p in payloads if p.get(name) not in (None, "")), None)
        return given if given is not None else answers.get(name)

    asset = application.asset
    at_the_land = lines(asset.address) + ([asset.postcode] if asset.postcode else [])
    addressees = {}
    for key, party in parties.items():
        if party.unless and recorded(party.unless) is True:
            addressees[key] = None
            continue
        name = recorded(party.name_field)
        addressees[key] = Addressee(
            name=name or party.label, organisation=name or party.label,
            address_lines=lines(recorded(party.address_field)) or at_the_land, named=bool(name))
    return addressees


def issue_date(event: Event | None) -> date:
    """The date of issue: the day (UK time) of the event that issues the document."""
    moment = getattr(event, "at", None) or utcnow()
    return as_date(moment)


def deadlines_of(application: Application, workflow, event: Event | None) -> dict:
    """name -> DeadlineView of the open deadline of that name, else the latest one."""
    rows = db.session.scalars(
        db.select(Deadline)
        .where(Deadline.application_id == application.id)
        .order_by(Deadline.created_at, Deadline.id)
    ).all()
    chosen: dict[str, Deadline] = {}
    for row in rows:  # later rows win, but an open row beats a closed one
        current = chosen.get(row.name)
        if current is None or row.is_open or not current.is_open:
            chosen[row.name] = row
    rules = getattr(workflow, "deadlines", None) or {}
    event_id = getattr(event, "id", None)
    return {
        name: DeadlineView(
            name=name,
            label=getattr(rules.get(name), "label", None) or humanise(name),
            starts_on=row.starts_on,
            due_on=row.due_on,
            rule=row.rule,
            is_open=row.is_open,
            created_by_event=event_id is not None and row.event_id == event_id,
        )
        for name, row in chosen.items()
    }


def flatten_answers(answers: dict | None) -> dict:
    """Form answers by field name, whether stored flat or by section (``{section: {field}}``)."""
    flat: dict = {}
    for key, value in (answers or {}).items():
        if isinstance(value, dict):
            for field, inner in value.items():
                flat.setdefault(field, inner)
                flat[f"{key}.{field}"] = inner
        else:
            flat[key] = value
    return flat


def outcome_of(event: Event | None, data: dict) -> str | None:
    """ "agreed", "refused" or None, from ``data["decision"]`` or the action's name."""
    decision = str(data.get("decision") or "").lower()
    if decision in ("agreed", "approved", "accepted", "upheld", "listed", "agree", "approve"):
        return "agreed"
    if decision in ("refused", "rejected", "declined", "removed", "refuse", "reject"):
        return "refused"
    action = (getattr(event, "action", "") or "").lower()
    if any(word in action for word in _NEGATIVE):
        return "refused"
    if any(word in action for word in _POSITIVE):
        return "agreed"
    return None


def transfer_of(application: Application, data: dict) -> dict:
    """The transfer's terms: those recorded on the application, overridden by this action's."""
    given = {k: v for k, v in data.items() if v not in (None, "", [], {})}
    return {**(getattr(application, "terms", None) or {}), **given}


def other_requests(application: Application, workflow) -> list[str]:
    """References of other live requests for the same land under the same workflow (reg 4)."""
    rows = db.session.execute(
        db.select(Application.reference, Application.state).where(
            Application.asset_id == application.asset_id,
            Application.workflow == application.workflow,
            Application.id != application.id,
        )
    ).all()
    states = getattr(workflow, "states", {})
    initial = getattr(workflow, "initial_state", None)

    def live(state: str) -> bool:
        return state != initial and not getattr(states.get(state), "final", False)

    return [reference for reference, state in rows if live(state)]


def actions_taken(application: Application) -> dict:
    """action name -> the data of its latest event, for a letter that reports an earlier step
    (a decision notice, the open-space advertisement that came before it)."""
    rows = db.session.execute(
        db.select(Event.action, Event.payload)
        .where(Event.application_id == application.id).order_by(Event.seq)
    )
    return {action: payload or {} for action, payload in rows}


def build_context(application: Application, event: Event | None, data: dict | None) -> dict:
    """Everything a document template of ``application`` may use."""
    app = current_app._get_current_object()
    data = dict(data or {})
    workflow = workflow_for(application)
    by_application = {"application_id": application.id}
    assessments = db.session.scalars(
        db.select(Assessment).filter_by(**by_application).order_by(Assessment.id)
    ).all()
    representations = db.session.scalars(
        db.select(Representation)
        .filter_by(**by_application)
        .order_by(Representation.received_on, Representation.id)
    ).all()
    signatures = db.session.scalars(
        db.select(Signature).filter_by(**by_application).order_by(Signature.signed_at)
    ).all()
    state = getattr(workflow, "states", {}).get(application.state)
    return {
        "authority": authority_info(app),
        "application": application,
        "organisation": application.organisation,
        "asset": application.asset,
        "addressee": addressee_of(application.organisation),
        "parties": party_addressees(application, workflow),
        "workflow": workflow,
        "state_label": getattr(state, "label", None) or humanise(application.state),
        "event": event,
        "data": data,
        "answers": flatten_answers(application.answers),
        "outcome": outcome_of(event, data),
        "transfer": transfer_of(application, data),
        "other_requests": other_requests(application, workflow),
        "actions_taken": actions_taken(application),
        "issued_on": issue_date(event),
        "deadlines": deadlines_of(application, workflow, event),
        "assessments": assessments,
        "scores": summarise(workflow, assessments),
        "representations": representations,
        "signatures": signatures,
    }
