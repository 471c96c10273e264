"""What anyone may see of an asset and of an application: decided here, field by field, once.

The public pages, the API for anyone but council staff, and the letters the council sends out
(to applicants, owners, occupiers and other groups; notices to the public) all read an asset
through :func:`public_asset` (templates: the ``public`` filter), so a field is shown outside the
council only if it is listed here. A new column is neither until it is listed: the tests check
that every column of ``Asset`` is in exactly one of the lists below.
"""

from ..documents.public_copy import CopyPolicy, FieldsOnly

# Shown to everyone: what the register says about the land or building.
PUBLIC_ASSET_FIELDS = (
    "name", "asset_type", "status", "description", "address", "postcode", "uprn",
    "title_number", "area_m2", "current_use", "condition", "annual_running_cost",
    # Where it is: the list of assets of community value and planning.data.gov.uk publish it.
    "latitude", "longitude", "boundary",
    # Which electoral ward: residents look for what is near them by ward.
    "ward",
)
# Not facts about the asset, but what identifies the record and when it changed.
RECORD_FIELDS = ("id", "created_at", "updated_at")
# Seen by council staff only, with the reason.
COUNCIL_ONLY_ASSET_FIELDS = {
    # The council's own valuation is its position when it negotiates a price or rent, with
    # the applicant as much as with anyone: commercially confidential (FOIA s43, EIR 12(5)(e)).
    "estimated_market_value": "the council's valuation, its position in negotiating",
}
# Of an application, what a public register of requests and decisions may show: which asset,
# by which route, how far it has gone; of the group's answers and the council's documents only
# those listed below; never the council's notes, assessments or recommendation, the terms as
# recorded for the legal pack, or who made a representation.
PUBLIC_APPLICATION_FIELDS = ("reference", "workflow", "state", "asset_id", "submitted_at")

# The answers of each workflow's form the register shows (section.field): what is asked for, why,
# and the price or rent offered (s79(4); SSI 2016/357 reg 9 publishes the request). Never an
# individual's details (contact names, e-mails, phone numbers; owners and occupiers, who may be
# people), nor the group's finances beyond its offer. A field not listed is not public.
PUBLIC_ANSWERS = {
    "scotland-atr": (
        "land.land_description", "land.request_type", "land.lease_years", "land.rights_sought",
        "reasons.reasons", "reasons.benefits", "reasons.community_support",
        "terms.price_or_rent", "terms.other_terms",
    ),
    # Under the council's own policy the offer is a position in a negotiation, not a statutory
    # request: the price or rent agreed is public with the decision (PUBLIC_DECISION_DATA).
    "council-cat": (
        "proposal.summary", "proposal.transfer_type", "proposal.lease_years",
        "proposal.community_need", "business_case.services",
    ),
    "england-acv": (
        "land.description", "land.boundaries", "value.reasons", "value.current_use",
    ),
}
# The answer that says what kind of transfer is asked for, where the route has one.
TRANSFER_TYPE_ANSWER = {"scotland-atr": "land.request_type",
                        "council-cat": "proposal.transfer_type"}

# Documents anyone may download as issued: those written to the public.
PUBLIC_DOCUMENT_KINDS = {
    "scotland-atr": ("public_notice",),  # SSI 2016/357 reg 7
}

# Letters whose published copy (the letter with the personal data of individuals left out:
# documents.public_copy) anyone may download, with the reason. Letters to the group, decision
# notices among them, are addressed to its lead contact by name, a person, so the letter itself
# is never published. Not published: acknowledgements, requests for information and the
# representations letter (steps of the case, not decisions), assessment reports (the council's
# own notes), the legal pack and heads of terms (a negotiation), compensation decisions (a
# private owner's loss and claim: personal and financial), the ACV owner's and occupier's copies
# of a notice (the nominator's copy, published, says the same).
PUBLIC_COPY_KINDS = {
    "scotland-atr": {
        "decision_notice": "the decision and its reasons, terms and conditions (s82(7); "
                           "SSI 2016/357 reg 10); #17 asks the register to publish it",
        "review_decision_notice": "SSI 2016/358 reg 5 publishes the review documents, the "
                                  "review decision notice among them",
        "repeat_request_notice": "a decision to decline a repeat request (s93)",
    },
    "england-acv": {
        "listing_notice": "the decision to list and its reasons (s91); the list is public (s87)",
        "refusal_notice": "the decision not to list and its reasons, entered on the public list "
                          "of unsuccessful nominations (s93)",
        "removal_notice": "the decision to remove land from the public list, with reasons (s92)",
        "review_decision": "the outcome of the owner's review of a listing, which keeps the land "
                           "on the public list or takes it off (s92, Schedule 2)",
    },
    "council-cat": {
        "eoi_outcome": "the council's decision on an expression of interest, with reasons",
        "decision_notice": "the council's decision on the application, with reasons and terms",
    },
}

# Of the data a decision records, what the register shows: why, and on what terms. Not the
# council's valuations (market_value, consideration_value) nor who a party is.
PUBLIC_DECISION_DATA = (
    "reasons", "terms", "conditions", "offer_deadline", "transfer_type", "term_years",
    "rent_or_price", "decision_date", "review_outcome",
)


def public_asset(asset) -> FieldsOnly:
    return FieldsOnly(asset, RECORD_FIELDS + PUBLIC_ASSET_FIELDS)


def public_application(application) -> FieldsOnly:
    return FieldsOnly(application, ("id", *PUBLIC_APPLICATION_FIELDS))


def asset_fields_for(user) -> tuple[str, ...]:
    """The fields of an asset ``user`` (None: anonymous) may see: council staff see them all."""
    if user is not None and user.is_council:
        return RECORD_FIELDS + PUBLIC_ASSET_FIELDS + tuple(COUNCIL_ONLY_ASSET_FIELDS)
    return RECORD_FIELDS + PUBLIC_ASSET_FIELDS


def public_answers(application, workflow) -> list[tuple[str, str]]:
    """(label, answer in words) of the application's public answers, in form order."""
    listed = PUBLIC_ANSWERS.get(application.workflow, ())
    answers = application.answers or {}
    rows = []
    for section in workflow.sections:
        for field in section.fields:
            if f"{section.name}.{field.name}" not in listed or field.internal:
                continue
            value = (answers.get(section.name) or {}).get(field.name)
            if value not in (None, ""):
                rows.append((field.label, field.in_words(value)))
    return rows


def transfer_type(application, workflow) -> str | None:
    """The kind of transfer asked for, in words (None where the route has no such question)."""
    path = TRANSFER_TYPE_ANSWER.get(application.workflow)
    if path is None:
        return None
    section, _, name = path.partition(".")
    value = ((application.answers or {}).get(section) or {}).get(name)
    spec = next((f for s in workflow.sections if s.name == section
                 for f in s.fields if f.name == name), None)
    return spec.in_words(value) if spec is not None and value not in (None, "") else None


def is_public_document(application, kind: str) -> bool:
    """Whether a document of ``kind`` is published as issued."""
    return kind in PUBLIC_DOCUMENT_KINDS.get(application.workflow, ())


def publishes_copy(application, kind: str) -> bool:
    """Whether a letter of ``kind`` is published as a copy with personal data left out."""
    return kind in PUBLIC_COPY_KINDS.get(application.workflow, {})


def copy_policy(application) -> CopyPolicy:
    """What the application's letters may publish: which kinds get a copy, which answers it
    may print (those the register shows)."""
    return CopyPolicy(kinds=frozenset(PUBLIC_COPY_KINDS.get(application.workflow, {})),
                      answers=frozenset(PUBLIC_ANSWERS.get(application.workflow, ())))


def public_decision_data(action, payload: dict) -> list[tuple[str, str]]:
    """(label, value in words) of what a decision recorded that the public may see."""
    return [(spec.label, spec.in_words(payload.get(spec.name))) for spec in action.fields
            if spec.name in PUBLIC_DECISION_DATA and not spec.internal and not spec.secret
            and payload.get(spec.name) not in (None, "")]
