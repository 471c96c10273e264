"""Each workflow's happy path as one table of steps, and the driver that takes an application
along it through the services: the demo and the tests walk applications with these.

A path begins with a new application whose every question is answered (``begin``); each step is
an action someone takes, or something the next action needs first (an upload, an officer's
assessment, a signature). ``walk(application, cast, "recommended")`` takes the steps from where
the application is until it reaches that state, each step in a transaction of its own, as each
would be a request of its own in the service: the letters and legal pack a step orders are made
after its commit, before the next step (which may sign that pack).
"""
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from pypdf import PdfWriter

from .documents.service import current_legal_pack
from .models import Application, Asset, Organisation, User
from .services.actions import take_action
from .services.applications import save_answers, start_application
from .services.attachments import add_attachment, attachments_of
from .services.casework import assessments_of, save_assessment
from .services.deadlines import current_deadlines
from .services.disposal import advertisement_needed
from .services.transaction import transaction
from .workflow import workflows
from .workflow.calendar import uk_today


class Cast(Protocol):
    """The people who take a path's steps, by the names the steps give them."""

    applicant: User  # the group's lead contact (only they may sign)
    officer: User
    officer2: User  # a second officer: council-cat needs two assessments
    decision_maker: User
    legal: User


@dataclass(frozen=True)
class Act:
    """``by`` takes the workflow action ``action`` with ``data``; a callable value (a date
    relative to today) is worked out when the step is taken. ``on`` gives the day it is taken,
    for a step that must wait for a deadline to run out; ``when``, the applications that need
    the step (all, if not given)."""

    by: str
    action: str
    data: Mapping[str, object] = field(default_factory=dict)
    on: Callable[[Application], date] | None = None
    when: Callable[[Application], bool] | None = None

    def needed_by(self, application: Application) -> bool:
        return self.when is None or self.when(application)

    def data_now(self, changes: Mapping[str, object] | None = None) -> dict:
        """The step's data with ``changes`` over it, every callable value worked out now."""
        merged = {**self.data, **(changes or {})}
        return {name: value() if callable(value) else value for name, value in merged.items()}


@dataclass(frozen=True)
class Upload:
    """``by`` uploads a one-page PDF as the attachment ``kind``."""

    by: str
    kind: str


@dataclass(frozen=True)
class Assess:
    """The officer ``by`` saves an assessment: ``scores`` and ``comments`` by criterion."""

    by: str
    scores: Mapping[str, int]
    comments: Mapping[str, str]


@dataclass(frozen=True)
class Sign:
    """``by`` signs the current legal pack in their own name, with their password."""

    by: str


Step = Act | Upload | Assess | Sign


@dataclass(frozen=True)
class HappyPath:
    """How an application of ``workflow`` goes from its first state to completion when all
    agree: the ``answers`` to every question, then the ``steps`` in order."""

    workflow: str
    answers: Mapping[str, Mapping[str, object]]
    steps: tuple[Step, ...]


def days_from_today(days: int) -> Callable[[], str]:
    """A date field's value, ``days`` after (or before, if negative) the day the step is taken."""
    return lambda: (uk_today() + timedelta(days=days)).isoformat()


def day_after(deadline: str) -> Callable[[Application], date]:
    """The day after the application's ``deadline`` ends."""

    def day(application: Application) -> date:
        return next(d.due_on for d in current_deadlines(application) if d.name == deadline) \
            + timedelta(days=1)

    return day


def under_authority_law(by_nation: Mapping[str, object]) -> Callable[[], object]:
    """A council-cat field's value under the law of the council's nation (None where it has
    none): the law on disposing of council land differs between the nations."""
    return lambda: by_nation.get(workflows()["council-cat"].nation)


def open_space_to_advertise(application: Application) -> bool:
    """council-cat: the land is open space that a council in England or Wales advertises before
    deciding to dispose of it (Local Government Act 1972 s123(2A))."""
    return advertisement_needed(application, workflows()[application.workflow].nation,
                                "record_open_space")


def blank_pdf() -> bytes:
    """A one-page PDF standing for a group's uploaded document."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Scores that pass council-cat's assessment: 72% against a pass mark of 60%.
GOOD_SCORES = {"community_benefit": 4, "financial_sustainability": 3, "governance_capacity": 4,
               "deliverability": 3, "value_for_money": 4}
# scotland-atr's matters are not scored: an officer records findings on each.
FINDINGS = {matter: "Considered: see report." for matter in (
    "reasons", "supporting_information", "economic_development", "regeneration", "public_health",
    "social_wellbeing", "environmental_wellbeing", "reducing_inequalities", "other_benefits",
    "alternative_proposals", "obligations", "other_matters")}

COUNCIL_CAT = HappyPath("council-cat", answers={
    "proposal": {"summary": "Reopen the building as a community hub with a café.",
                 "transfer_type": "lease", "lease_years": 25,
                 "community_need": "No other meeting space within two miles."},
    "contact": {"contact_name": "Group lead", "contact_email": "hello@demo.example"},
    "business_case": {"services": "Café, youth club, advice sessions, room hire.",
                      "evidence_of_need": "Survey of 412 residents; 38 letters of support.",
                      "income_year1": "42000", "costs_year1": "39500", "funding_secured": "15000",
                      "offered_price_or_rent": "1"},
    "governance": {"management": "Nine trustees and a part-time manager.",
                   "skills": "Trustees include an accountant and a surveyor.", "insurance": True},
}, steps=(
    Act("applicant", "submit_eoi"),
    Act("officer", "accept_eoi", {"message": "Please send a business case."}),
    Upload("applicant", "business_plan"),
    Upload("applicant", "accounts"),
    Upload("applicant", "constitution"),
    Act("applicant", "submit_application"),
    Act("officer", "start_assessment"),
    Assess("officer", GOOD_SCORES, {"community_benefit": "Strong local support."}),
    Assess("officer2", GOOD_SCORES, {"deliverability": "Plan is realistic."}),
    Act("officer", "advertise_disposal", {
        "newspaper": "Exampletown Gazette", "first_published_on": days_from_today(-20),
        "second_published_on": days_from_today(-13), "objections_by": days_from_today(-1)},
        when=open_space_to_advertise),
    Act("officer", "consider_objections", {
        "objections_received": 0, "objections": "None.",
        "consideration": "No objections were made."}, when=open_space_to_advertise),
    Act("officer", "recommend", {"recommendation": "approve", "summary": "Scores 72%; approve."}),
    Act("decision_maker", "approve", {
        "transfer_type": "lease", "term_years": 25, "rent_or_price": "1",
        "market_value": "250000", "consideration_value": "0",
        "disposal_consent": under_authority_law({
            "england": "general_consent_england", "wales": "general_consent_wales",
            "scotland": "local_basis", "northern-ireland": "local_basis"}),
        "wellbeing": "A community hub meets the social needs of the ward.",
        "local_basis": under_authority_law({
            "scotland": "Disposal of Land by Local Authorities (Scotland) Regulations 2010 regs 3 "
                        "and 4: appraisal in the assessment report.",
            "northern-ireland": "The Department for Communities' consent (Circular LG 21/20)."}),
        "conditions": "Community use; annual monitoring return.",
        "reasons": "Meets the council's priorities."}),
    Act("applicant", "agree_heads_of_terms"),
    Act("legal", "issue_legal_pack"),
    Sign("applicant"),
    Sign("legal"),
    Act("legal", "complete"),
))

SCOTLAND_ATR = HappyPath("scotland-atr", answers={
    "land": {"land_description": "The pavilion and the land within the park fence.",
             "request_type": "lease", "lease_years": 25},
    "reasons": {"reasons": "To reopen the pavilion for the community.",
                "benefits": "Health walks, a café, and a base for park volunteers.",
                "community_support": "600 signatures and the community council's support."},
    "terms": {"price_or_rent": "1", "funding": "Lottery grant and café income."},
    "governance": {"constitution_summary": "Clause 3 defines the community.",
                   "contact_name": "Group lead", "contact_email": "hello@demo.example"},
}, steps=(
    Upload("applicant", "constitution"),
    Act("applicant", "submit"),
    Act("officer", "validate", {"validation_date": days_from_today(-20), "s84_position": "barred"}),
    Act("officer", "publish_notice", {"notice_date": days_from_today(-10)}),
    Act("officer", "close_representations", on=day_after("representations")),
    Act("applicant", "submit_comments", {"comments": "We answer each point."}),
    Act("officer", "start_assessment"),
    Assess("officer", {}, FINDINGS),
    Act("officer", "recommend", {"recommendation": "agree",
                                 "summary": "No reasonable grounds to refuse."}),
    Act("decision_maker", "agree", {
        "reasons": "Benefits outweigh.", "terms": "25-year lease at £1.",
        "conditions": "Community use.", "offer_deadline": days_from_today(200)}),
    Act("applicant", "make_offer", {"offer": "We offer £1 a year for 25 years."}),
    Act("legal", "issue_legal_pack"),
    Sign("applicant"),
    Sign("legal"),
    Act("legal", "conclude_contract"),
))

ENGLAND_ACV = HappyPath("england-acv", answers={
    "land": {"description": "The Red Lion public house and its garden.",
             "boundaries": "The pub building, car park and beer garden.",
             "owners": "Brewery Holdings Ltd, 1 King Street, Leeds",
             "owner_name": "Brewery Holdings Ltd", "owner_address": "1 King Street\nLeeds LS1 1AA",
             "owner_occupies": False, "occupier_name": "Red Lion Inns Ltd"},
    "value": {"reasons": "The only pub and meeting place in the village.",
              "current_use": "Quiz nights, darts league, parish meetings."},
    "eligibility": {"local_connection": True,
                    "connection_details": "All members live in the parish."},
}, steps=(
    Act("applicant", "submit"),
    Act("officer", "list", {"reasons": "The only pub in the village."}),
    Act("officer", "notify_disposal", {
        "notice_received_on": days_from_today(0),
        "disposal_details": "Freehold sale with vacant possession."}),
    Act("applicant", "express_interest", {"statement": "We wish to bid."}),
    Act("officer", "record_sale_to_community", {"sale_date": days_from_today(0),
                                                "buyer": "Red Lion Community Pub Ltd",
                                                "reasons": "The freehold, for £350,000."}),
))

PATHS = {path.workflow: path for path in (COUNCIL_CAT, SCOTLAND_ATR, ENGLAND_ACV)}


def steps_between(workflow_key: str, start: str, to: str, then: int = 0) -> list[Step]:
    """The path's steps from the first one taken in the state ``start`` until the application
    is at ``to``, and ``then`` steps more; ValueError if the path does not go that way."""
    workflow = workflows()[workflow_key]
    at, taken_in = workflow.initial_state, []
    for step in PATHS[workflow_key].steps:
        taken_in.append(at)
        if isinstance(step, Act):
            at = workflow.actions[step.action].dest or at
    taken_in.append(at)  # where the path ends: no step is taken there
    try:
        first = taken_in.index(start)
        last = taken_in.index(to, first) + then
    except ValueError:
        raise ValueError(f"The {workflow_key} path does not go from “{start}” to “{to}”") from None
    if last >= len(taken_in):
        raise ValueError(f"The {workflow_key} path ends fewer than {then} steps after “{to}”")
    return list(PATHS[workflow_key].steps[first:last])


def begin(applicant: User, workflow_key: str, asset: Asset,
          organisation: Organisation) -> Application:
    """A new application by ``applicant`` with every question answered, where each path begins."""
    application = start_application(applicant, workflow_key, asset, organisation)
    save_answers(applicant, application, PATHS[workflow_key].answers, None)
    return application


def walk(application: Application, cast: Cast, to: str, *, then: int = 0,
         data: Mapping[str, Mapping[str, object]] | None = None,
         password: str | None = None) -> Application:
    """Take ``application`` along its path until it is at the state ``to``, then ``then`` steps
    more, starting from the first step taken in its current state; an upload or an assessment
    already made is not made again. ``data`` changes an action's data, by action name;
    ``password`` is the signers', for a walk that signs. Commits what came before, then each
    step."""
    steps = steps_between(application.workflow, application.state, to, then)
    changes = dict(data or {})
    if unknown := set(changes) - {step.action for step in steps if isinstance(step, Act)}:
        raise ValueError(f"The walk takes no action {', '.join(sorted(unknown))} to change")
    for step in steps:
        with transaction():
            _take(step, application, getattr(cast, step.by), changes, password)
    return application


def _take(step: Step, application: Application, actor: User, changes, password) -> None:
    match step:
        case Act() if not step.needed_by(application):
            pass
        case Act(action=action, on=on):
            take_action(actor, application, action, data=step.data_now(changes.get(action)),
                        on=on(application) if on else None)
        case Upload(kind=kind):
            if kind not in {attachment.kind for attachment in attachments_of(application)}:
                add_attachment(actor, application, kind, f"{kind}.pdf", blank_pdf())
        case Assess(scores=scores, comments=comments):
            if actor.id not in {a.assessor_id for a in assessments_of(application)}:
                save_assessment(actor, application, scores, comments)
        case Sign():
            signature = {"pack_sha256": current_legal_pack(application).sha256,
                         "full_name": actor.name, "password": password}
            take_action(actor, application, "sign", data=signature)
