"""A stand-in for the workflow registry with only the attribute names the workflow package
promises (``title``, ``legal_basis``, ``states[name].label``, ``criteria``, ``pass_mark``,
``documents[kind].title`` and ``.to``, ``parties``, ``deadlines[name].label``): the real criteria,
document specs and parties, and states and deadline rules cut down to their labels. Used by the
tests and the benchmark."""
from dataclasses import dataclass, field

from assettransfer.workflow.definition import Criterion, DocumentSpec
from assettransfer.workflow.parties import Party

KINDS = {
    "scotland-atr": [
        "missing_information_notice", "validation_notice", "public_notice", "owner_notice",
        "representations_letter", "assessment_report", "decision_notice",
        "review_decision_notice", "repeat_request_notice", "contract_period_notice",
        "no_contract_response", "offer_acknowledgement", "completion_certificate",
    ],
    "england-acv": [
        "nomination_acknowledgement", "nomination_notice_owner", "nomination_notice_occupier",
        "listing_notice", "listing_notice_owner", "listing_notice_occupier", "refusal_notice",
        "review_decision", "removal_notice", "removal_notice_owner", "removal_notice_occupier",
        "moratorium_notice", "interest_acknowledgement", "interest_notice_owner",
        "compensation_decision", "compensation_review_decision",
    ],
    "council-cat": [
        "eoi_acknowledgement", "eoi_outcome", "application_acknowledgement", "information_request",
        "assessment_report", "decision_notice", "heads_of_terms", "transfer_summary",
        "completion_certificate",
    ],
}
TITLES = {"legal_pack": "Legal completion pack"}
# The party each letter is addressed to, as england-acv.yaml declares it; the rest go to the group.
TO = {kind: party for party in ("owner", "occupier") for kind in KINDS["england-acv"]
      if kind.endswith(f"_{party}")} | {"review_decision": "owner",
                                        "compensation_decision": "claimant",
                                        "compensation_review_decision": "claimant"}
PARTIES = {
    "owner": Party("owner", "The owner", "owner_name", "owner_address"),
    "occupier": Party("occupier", "The occupier", "occupier_name", "occupier_address",
                      "owner_occupies"),
    "claimant": Party("claimant", "The claimant", "claimant_name", "claimant_address"),
}


@dataclass(frozen=True)
class State:
    label: str


@dataclass(frozen=True)
class DeadlineRule:
    label: str


@dataclass
class Workflow:
    key: str
    title: str
    legal_basis: str
    nation: str
    criteria: list
    pass_mark: float | None
    initial_state: str = "draft"
    states: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    deadlines: dict = field(default_factory=dict)
    parties: dict = field(default_factory=dict)


def _workflow(key, title, basis, nation, criteria, pass_mark) -> Workflow:
    kinds = KINDS[key] + ["legal_pack"]
    return Workflow(
        key=key, title=title, legal_basis=basis, nation=nation, criteria=criteria,
        pass_mark=pass_mark,
        initial_state="draft",
        states={s: State(s.replace("_", " ").capitalize())
                for s in ("draft", "submitted", "decided", "completed")},
        documents={k: DocumentSpec(k, TITLES.get(k, k.replace("_", " ").capitalize()), TO.get(k))
                   for k in kinds},
        parties=PARTIES if key == "england-acv" else {},
        deadlines={
            "decision": DeadlineRule("Our decision is due"),
            "review_request": DeadlineRule("Last day to apply for a review"),
            "representations": DeadlineRule("Representations close"),
        },
    )


def stub_registry() -> dict:
    s82 = [
        Criterion("reasons", "Reasons for the request", 1, "Section 82(3)(a)"),
        Criterion("benefits", "Economic development, regeneration, health, wellbeing", 1),
        Criterion("inequalities", "Reducing inequalities of outcome", 1),
    ]
    cat = [
        Criterion("need", "Community need and support", 30, "Evidence of local need"),
        Criterion("viability", "Financial viability", 40),
        Criterion("governance", "Governance and capacity", 30),
    ]
    return {
        "scotland-atr": _workflow("scotland-atr", "Asset transfer request",
                                  "Community Empowerment (Scotland) Act 2015, Part 5", "scotland",
                                  s82, None),
        "england-acv": _workflow("england-acv", "Assets of community value",
                                 "Localism Act 2011, Part 5, Chapter 3", "england", [], None),
        "council-cat": _workflow("council-cat", "Community asset transfer",
                                 "Council community asset transfer policy", "england", cat, 60),
    }
