"""What clients send: the pydantic models that validate requests and describe them in OpenAPI.

Bodies are validated strictly (no "3" for 3, unknown fields refused) and bounded so that whatever
passes can be stored by every database; the services then apply the rules of the domain.
"""
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model
from pydantic.fields import FieldInfo
from pydantic.json_schema import SkipJsonSchema

from ..models import AssetStatus, AssetType, AttachmentKind, LegalForm
from .registry import MAX_ID

AssetTypeName = Literal[tuple(t.value for t in AssetType)]
AssetStatusName = Literal[tuple(s.value for s in AssetStatus)]
LegalFormName = Literal[tuple(f.value for f in LegalForm)]
AttachmentKindName = Literal[tuple(k.value for k in AttachmentKind)]

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=MAX_ID, description="The `version` you last read; "
                                                             "a stale one is refused with 409")]
Count = Annotated[int, Field(ge=0, le=10_000_000)]


def text(max_length: int, **kwargs):
    return Annotated[str, StringConstraints(max_length=max_length), Field(**kwargs)]


Name = text(200)
ShortText = text(500)
LongText = text(20_000)
Postcode = text(16, description="A full UK postcode, like EH1 1YZ")
Money = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), decimal_places=2,
                                 description="Pounds, as a number or a decimal string")]
Area = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), description="Square metres")]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class Query(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


def patch_of(model: type[Body], name: str) -> type[Body]:
    """``model`` with every field optional and defaulting to None, for PATCH: the same types and
    limits, and only the fields sent are changed."""
    fields = {}
    for field_name, field in model.model_fields.items():
        annotation = (Annotated[field.annotation, *field.metadata] if field.metadata
                      else field.annotation)
        optional = FieldInfo.merge_field_infos(field, default=None)
        optional.metadata = []
        fields[field_name] = (annotation | None, optional)
    return create_model(name, __base__=Body, __doc__="Only the fields sent are changed.", **fields)


# --- assets -------------------------------------------------------------------------------------

class AssetCreate(Body):
    """An entry for the asset register. Its ``status`` is not set here: the workflows move it."""

    name: Name
    asset_type: AssetTypeName
    address: LongText
    postcode: Postcode
    ward: text(100, description="The electoral ward it is in, by name") | None = None
    uprn: text(12, description="Unique property reference number, up to 12 digits") | None = None
    title_number: text(20) | None = None
    area_m2: Area | None = None
    current_use: LongText | None = None
    condition: LongText | None = None
    annual_running_cost: Money | None = None
    estimated_market_value: Money | None = None
    description: LongText | None = None


AssetPatch = patch_of(AssetCreate, "AssetPatch")


class Paging(Query):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


class AssetQuery(Paging):
    q: text(200, description="Words in the name, address or description") | None = None
    asset_type: AssetTypeName | None = None
    status: AssetStatusName | None = None
    postcode: text(16, description="The start of a postcode") | None = None
    ward: text(100, description="A ward, as the asset register names it") | None = None


# --- organisations ------------------------------------------------------------------------------

class CommunityControl(Body):
    """The six tests of a community-controlled body: Community Empowerment (Scotland) Act 2015
    s19."""

    community_defined: bool | None = None
    majority_from_community: bool | None = None
    members_control: bool | None = None
    open_membership: bool | None = None
    community_benefit_aims: bool | None = None
    surplus_for_community: bool | None = None


class OrganisationCreate(Body):
    """A community body; whoever registers it becomes its member and lead contact."""

    name: Name
    legal_form: LegalFormName
    charity_number: text(20) | None = None
    company_number: text(20) | None = None
    address: LongText
    postcode: Postcode
    member_count: Count
    local_voter_member_count: Count
    community_definition: LongText
    community_controlled: CommunityControl | None = None


OrganisationPatch = patch_of(OrganisationCreate, "OrganisationPatch")


class MemberAdd(Body):
    email: text(254, description="The email of an existing community group account")


# --- applications -------------------------------------------------------------------------------

class ApplicationCreate(Body):
    workflow: text(40, description="The key of a workflow this council offers")
    asset_id: Id
    organisation_id: Id


class ApplicationQuery(Paging):
    workflow: text(40) | None = None
    state: text(40) | None = None
    asset_type: AssetTypeName | None = None
    overdue: bool = Field(False,
                          description="Only open applications whose next deadline has passed")
    due_within_days: int | None = Field(None, ge=0, le=36_500,
                                        description="Only those with a deadline in this many days")


class AnswersPatch(Body):
    version: Version
    answers: dict[text(60), dict[text(60), Any]] = Field(
        description="`{section: {field: value}}`, merged into the saved answers; each value a JSON "
                    "scalar of the field's type (dates as YYYY-MM-DD, money as a decimal string)")


class ActionRequest(Body):
    version: Version
    comment: LongText = ""
    data: dict[text(60), Any] | None = Field(None, description="The action's fields, by name")


class AttachmentUpload(Body):
    kind: AttachmentKindName
    file: bytes = Field(description="The file: PDF, PNG, JPEG, Word, Excel or OpenDocument")
    filename: SkipJsonSchema[str] = ""  # filled in from the uploaded file's own name


class AssessmentSave(Body):
    """This officer's assessment, created or replaced; criteria are the workflow's."""

    scores: dict[text(60), Annotated[int, Field(ge=0, le=5)] | None] = Field(
        default_factory=dict, description="`{criterion: 0..5}` where the workflow scores")
    comments: dict[text(60), LongText | None] = Field(
        default_factory=dict, description="`{criterion: text}`")


class RepresentationCreate(Body):
    from_name: Name
    received_on: date
    text: LongText


class BidderRequestCreate(Body):
    organisation_id: Id = Field(description="Your group: you must be a member of it")


class VerifyRequest(Body):
    """A PDF to check, or the SHA-256 of one."""

    file: bytes | None = Field(None, description="The PDF (it is not kept)")
    filename: SkipJsonSchema[str] = ""  # filled in from the uploaded file's own name
    sha256: text(200) | None = Field(None, description="Or the SHA-256 of a PDF, 64 hexadecimal "
                                                       "characters")
