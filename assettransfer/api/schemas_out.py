"""What the API answers: the pydantic models every JSON response is built from and described by."""
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..workflow.fields import FIELD_TYPES
from .schemas import AssetStatusName, AssetTypeName, AttachmentKindName, LegalFormName


class Out(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class FieldErrorOut(Out):
    field: str = Field(description='The field at fault, as a dotted path ("data.reasons"), '
                                   'or "" for the request as a whole')
    message: str


class Problem(Out):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] = Field(default_factory=list)


# --- workflows ----------------------------------------------------------------------------------

class OptionOut(Out):
    value: str
    label: str


class FieldOut(Out):
    name: str
    type: Literal[FIELD_TYPES]
    label: str
    required: bool
    hint: str
    options: list[OptionOut]


class StateOut(Out):
    name: str
    label: str
    applicant_label: str
    next_steps: str
    final: bool
    editable: bool
    whose_move: str


class ActionDefinitionOut(Out):
    name: str
    label: str
    from_: list[str] = Field(alias="from")
    to: str | None = Field(description="null: the action records something and the state stays")
    roles: list[str]
    fields: list[FieldOut]
    documents: list[str]
    confirm: str
    description: str


class PeriodOut(Out):
    length: int
    unit: str
    counting: str


class DeadlineRuleOut(Out):
    name: str
    label: str
    citation: str
    period: PeriodOut | None = Field(description="null: due on a date given in `fixed_field`")
    fixed_field: str | None
    started_by: list[str]
    met_by: list[str]
    whose: str
    window: bool


class CriterionOut(Out):
    name: str
    label: str
    weight: int
    guidance: str


class SectionOut(Out):
    name: str
    title: str
    description: str
    fields: list[FieldOut]
    attachments: list[AttachmentKindName]


class FormOut(Out):
    sections: list[SectionOut]
    required_attachments: list[AttachmentKindName]


class DocumentKindOut(Out):
    kind: str
    title: str


class WorkflowOut(Out):
    key: str
    title: str
    summary: str
    legal_basis: str
    nation: str
    reference_prefix: str
    initial_state: str
    states: list[StateOut]
    actions: list[ActionDefinitionOut]
    deadlines: list[DeadlineRuleOut]
    criteria: list[CriterionOut]
    pass_mark: int | None
    form: FormOut
    documents: list[DocumentKindOut]


class WorkflowList(Out):
    items: list[WorkflowOut]


# --- assets and organisations -------------------------------------------------------------------

class AssetOut(Out):
    id: int
    name: str
    asset_type: AssetTypeName
    status: AssetStatusName
    address: str
    postcode: str
    ward: str | None = Field(description="The electoral ward it is in, by name")
    uprn: str | None
    title_number: str | None
    area_m2: float | None
    current_use: str
    condition: str
    annual_running_cost: str | None = Field(description="Pounds, as a decimal string")
    estimated_market_value: str | None = Field(
        None, exclude_if=lambda value: value is None,
        description="Pounds, as a decimal string. Council staff only: the council's valuation is "
                    "not public, so for anyone else (and when none is recorded) it is absent")
    description: str
    latitude: float | None = Field(description="WGS84 degrees")
    longitude: float | None = Field(description="WGS84 degrees")
    boundary: dict | None = Field(
        description="A GeoJSON Polygon or MultiPolygon geometry in WGS84 (RFC 7946)")
    created_at: datetime
    updated_at: datetime


class Pagination(Out):
    total: int
    page: int
    per_page: int
    pages: int


class AssetPage(Pagination):
    items: list[AssetOut]


class CommunityControlOut(Out):
    community_defined: bool | None
    majority_from_community: bool | None
    members_control: bool | None
    open_membership: bool | None
    community_benefit_aims: bool | None
    surplus_for_community: bool | None


class MemberOut(Out):
    user_id: int
    name: str
    email: str
    is_lead_contact: bool


class EligibilityOut(Out):
    workflow: str
    title: str
    eligible: bool
    unmet: list[str] = Field(description="What the body still needs before it could apply")


class OrganisationOut(Out):
    id: int
    name: str
    legal_form: LegalFormName
    charity_number: str | None
    company_number: str | None
    address: str
    postcode: str
    member_count: int
    local_voter_member_count: int
    community_definition: str
    community_controlled: CommunityControlOut
    members: list[MemberOut]
    eligibility: list[EligibilityOut]
    created_at: datetime


class OrganisationList(Out):
    items: list[OrganisationOut]


# --- applications -------------------------------------------------------------------------------

class AssetSummary(Out):
    id: int
    name: str
    asset_type: AssetTypeName
    postcode: str
    status: AssetStatusName


class OrganisationSummary(Out):
    id: int
    name: str


class ApplicationSummary(Out):
    id: int
    reference: str
    workflow: str
    state: str
    state_label: str
    version: int
    asset: AssetSummary
    organisation: OrganisationSummary
    next_due_on: date | None
    created_at: datetime
    submitted_at: datetime | None


class ApplicationPage(Pagination):
    items: list[ApplicationSummary]


class ActionOut(Out):
    name: str
    label: str
    fields: list[FieldOut]
    confirm: str = Field(description="A warning to show before taking an irreversible action")
    description: str


class BlockedActionOut(Out):
    name: str
    label: str
    reasons: list[str]


class DeadlineOut(Out):
    name: str
    label: str
    starts_on: date
    due_on: date
    rule: str
    status: Literal["pending", "met", "missed"]
    open: bool = Field(description="false once met, or closed when the application ended")
    whose: str


class DocumentOut(Out):
    id: int
    kind: str
    title: str
    version: int
    stage: str
    sha256: str
    size: int
    page_count: int
    issued_at: datetime
    superseded_at: datetime | None
    current: bool
    url: str


class DocumentList(Out):
    items: list[DocumentOut]


class AttachmentOut(Out):
    id: int
    kind: AttachmentKindName
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    url: str


class DocumentOrderOut(Out):
    label: str = Field(description="The document and its version, e.g. \"Decision notice "
                                   "(version 2)\"")
    status: str = Field(description="pending, running, or failed (council staff only see "
                                    "failed orders; they wait for an administrator's retry)")
    ordered_at: datetime
    attempts: int


class ApplicationOut(Out):
    id: int
    reference: str
    workflow: str
    state: str
    state_label: str = Field(description="The stage in words for this user: applicants see the "
                                         "workflow's applicant_label")
    next_steps: str
    whose_move: str
    version: int
    asset: AssetOut
    organisation: OrganisationSummary
    answers: dict[str, dict[str, Any]]
    actions: list[ActionOut] = Field(description="What this user may take now")
    blocked_actions: list[BlockedActionOut] = Field(
        description="Actions this user's role takes here that a guard refuses for now, and why")
    deadlines: list[DeadlineOut]
    documents: list[DocumentOut] = Field(description="The current version of each issued document")
    documents_being_prepared: list[DocumentOrderOut] = Field(
        description="Documents an action has issued whose PDF is still being made (after the "
                    "action's commit); fetch the application again to find them in documents")
    attachments: list[AttachmentOut]
    next_due_on: date | None
    created_at: datetime
    submitted_at: datetime | None


class ActorOut(Out):
    name: str
    role: str


class EventOut(Out):
    seq: int
    action: str
    from_state: str | None
    to_state: str | None
    actor: ActorOut
    at: datetime
    comment: str


class EventList(Out):
    items: list[EventOut]


class PersonOut(Out):
    id: int
    name: str


class AssessmentOut(Out):
    id: int
    assessor: PersonOut
    scores: dict[str, int]
    comments: dict[str, str]
    created_at: datetime
    updated_at: datetime


class AssessmentList(Out):
    items: list[AssessmentOut]


class RepresentationOut(Out):
    id: int
    from_name: str
    received_on: date
    text: str
    recorded_at: datetime


class BidderRequestOut(Out):
    """A group's request to be treated as a potential bidder, recorded (s95(3)(a))."""

    asset: AssetSummary
    organisation: OrganisationSummary
    received_on: date
    full_moratorium_ends: date | None = Field(
        description="Until this day the owner may not sell except to a community interest group")
    protected_period_ends: date | None


# --- verification -------------------------------------------------------------------------------

class IssuedDocumentOut(Out):
    reference: str = Field(description="The case's reference")
    kind: str
    title: str
    version: int
    issued_at: datetime
    superseded: bool
    superseded_at: datetime | None
    replaced_by: int | None = Field(description="The version that replaced it (null: current)")
    latest_version: int = Field(description="The current version of the same kind of document")
    published_copy: bool = Field(description="The copy published on the register, with personal "
                                             "data left out (not the letter as sent)")
    signed_since: bool = Field(description="An earlier file of a legal pack: a party has signed "
                                           "it since, so the current file carries more signatures")


class SignatureCheckOut(Out):
    field: str = Field(description="The signature field's name (CouncilSeal: the council's seal)")
    signer: str = Field(description="The signing certificate's subject")
    name: str = Field(description="Who signed: the council (its seal), or the person")
    role: str = Field(description="The role a party signed the legal pack in; empty for the seal")
    valid: bool = Field(description="Unaltered since signed, by a certificate the council trusts")
    intact: bool = Field(description="The signed bytes are unaltered")
    trusted: bool = Field(description="The certificate chains to the council's trust roots")
    signed_at: datetime | None = Field(description="The timestamp's time, else the signer's claim")
    timestamp_trusted: bool


class VerifyOut(Out):
    sha256: str
    issued: bool = Field(description="This council issued a document with exactly this content")
    document: IssuedDocumentOut | None
    signatures: list[SignatureCheckOut] | None = Field(
        description="Each signature checked; null when only a SHA-256 was sent")
    signatures_valid: bool | None = Field(
        description="Signed, and every signature valid; null when only a SHA-256 was sent")
