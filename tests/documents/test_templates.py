"""Every document kind renders for a realistic context and says what the law needs it to say."""
import io
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from assettransfer.documents import MissingData, read_document
from assettransfer.documents.records import read_public_copy
from assettransfer.extensions import db
from assettransfer.models import Assessment, Representation
from assettransfer.services.public import PUBLIC_COPY_KINDS, copy_policy

from .conftest import KINDS
from .issuing import issue_documents
from .stubs import TO

D = date
RECORDED_TERMS = {"transfer_type": "lease", "term_years": 35, "rent_or_price": "1.00",
                  "conditions": "Keep the park open", "reasons": "Scored well"}
REVIEW_RULE = "20 working days beginning with the date of the decision notice"
# What council-cat's decision records of the disposal (the undervalue from its effect).
CONSIDERATION = {"market_value": "250000.00", "consideration_value": "0.00",
                 "undervalue": "250000.00", "disposal_consent": "general_consent_england",
                 "wellbeing": "A hub for the ward's young people."}
LISTING_DECISION = "8 weeks after 5 November 2026 (SI 2012/2421 reg 7)"
LISTING_REASONS = "The pavilion hosts the youth club and the park is used daily."
LISTING_DATES = [
    ("owner_review_request", D(2026, 12, 31), "8 weeks after 5 November 2026"),
    ("listing_expiry", D(2031, 11, 4), "5 years beginning with 5 November 2026")]
# Who owns and occupies the land, as an ACV nomination names them (SI 2012/2421 reg 6).
PARTIES = {"land": {"owner_name": "Riverside Estates Ltd",
                    "owner_address": "2 Quay Street\nExampletown",
                    "occupier_name": "Park Café Ltd"}}

# (workflow, kind, action, data, deadlines [(name, due_on, rule)], phrases the PDF must contain)
CASES = [
    ("scotland-atr", "missing_information_notice", "request_information",
     {"missing_items": ["Your organisation's constitution", "A plan showing the boundaries"]},
     [], ["Your organisation's constitution", "A plan showing the boundaries", "validation date"]),
    ("scotland-atr", "validation_notice", "validate",
     {"validation_date": D(2026, 11, 5), "s84_position": "barred"},
     [("decision", D(2027, 5, 4), "6 months beginning with the validation date")],
     ["5 November 2026", "Tuesday 4 May 2027", "No other asset transfer request",
      "section 84", "section 86", "councillors",
      "prevents Exampleshire Council from selling, leasing or otherwise disposing"]),
    ("scotland-atr", "validation_notice", "validate",
     {"validation_date": D(2026, 11, 5), "s84_position": "negotiations_before",
      "s84_exception_since": D(2026, 9, 14),
      "s84_evidence": "Heads of terms sent to the bowling club on 14 September 2026."},
     [("decision", D(2027, 5, 4), "6 months after the validation date")],
     ["Section 84 of the Act does not prevent Exampleshire Council",
      "negotiations or begun proceedings", "from 14 September 2026",
      "Heads of terms sent to the bowling club"]),
    ("scotland-atr", "public_notice", "notify",
     {"documents_url": "https://example.gov.uk/atr"},
     [("representations", D(2026, 12, 3), "20 working days after the date of the notice")],
     ["Public notice", "Thursday 3 December 2026", "example.gov.uk/atr",
      "The closing date is 20 working days after the date of the notice"]),
    ("scotland-atr", "owner_notice", "notify",
     {"recipient_name": "Riverside Estates Ltd", "recipient_address": "2 Quay Street\nExampletown"},
     [("representations", D(2026, 12, 3), "20 working days beginning with the date of the notice")],
     ["Riverside Estates Ltd", "Thursday 3 December 2026", "owners, tenants and occupiers"]),
    ("scotland-atr", "representations_letter", "close_representations", {},
     [("comments", D(2027, 1, 14), "20 working days beginning with the day after")],
     ["Thursday 14 January 2027", "Representation 1: Jo Neighbour", "dog walkers"]),
    ("scotland-atr", "assessment_report", "recommend",
     {"recommendation": "agree", "summary": "The benefits clearly outweigh the costs."},
     [], ["section 82(3)", "Reasons for the request", "Recommendation: Agree the request",
          "benefits clearly outweigh", "Alex Officer", "Clear",
          "must agree to the request unless there are reasonable grounds"]),
    ("scotland-atr", "decision_notice", "agree",
     {"reasons": "The request brings clear benefits.", "terms": "Ownership for a price of £1.",
      "conditions": "Use as a public park\nKeep the pavilion open",
      "offer_deadline": D(2027, 5, 6)},
     [("review_request", D(2026, 12, 3), REVIEW_RULE)],
     ["Your request is agreed", "clear benefits", "Ownership for a price of £1.",
      "Use as a public park", "Keep the pavilion open", "Thursday 6 May 2027",
      "section 86", "section 88", "Scottish Ministers", "20 working days",
      "Thursday 3 December 2026"]),
    ("scotland-atr", "decision_notice", "refuse",
     {"reasons": "The land is needed for a new school."},
     [("review_request", D(2026, 12, 3), REVIEW_RULE)],
     ["Your request is refused", "needed for a new school", "section 86", "Scottish Ministers",
      "Thursday 3 December 2026"]),
    ("scotland-atr", "review_decision_notice", "review_agree",
     {"review_outcome": "substituted", "reasons": "New evidence of support.",
      "terms": "A 25-year lease", "conditions": "Open to all", "offer_deadline": D(2027, 5, 6)},
     [("appeal", D(2026, 12, 3), "20 working days beginning with 5 November 2026")],
     ["substitute a different decision", "New evidence of support", "section 88",
      "replaces any earlier decision notice", "section 86(7)", "Thursday 3 December 2026",
      "20 working days beginning with 5 November 2026", "Thursday 6 May 2027"]),
    ("scotland-atr", "review_decision_notice", "review_refuse",
     {"review_outcome": "confirmed", "reasons": "The land is needed for a school."},
     [("appeal", D(2026, 12, 3), "20 working days beginning with 5 November 2026")],
     ["confirm the original decision", "your request is refused", "needed for a school",
      "replaces any earlier decision notice", "section 88", "Thursday 3 December 2026",
      "the refusal is final"]),
    ("scotland-atr", "repeat_request_notice", "decline_repeat_request",
     {"earlier_request": "ATR-2025-0004", "earlier_made_on": D(2025, 3, 5)},
     [("repeat_request", D(2027, 3, 4), "2 years beginning with 5 March 2025")],
     ["decline to consider your request", "section 93", "ATR-2025-0004", "5 March 2025",
      "Thursday 4 March 2027", "2 years beginning with 5 March 2025",
      "We have not refused your request"]),
    ("scotland-atr", "contract_period_notice", "contract_period_ended",
     {"expired_on": D(2026, 12, 17)},
     [("no_contract_notice", D(2027, 1, 6), "10 working days after 17 December 2026")],
     ["ended on 17 December 2026", "section 83(6)", "10 working days after the day the contract "
      "period ended", "Wednesday 6 January 2027", "We may still conclude the contract"]),
    ("scotland-atr", "no_contract_response", "respond_no_contract_appeal",
     {"response": "The group has not yet obtained its funding.",
      "terms": "A 25-year lease at £1 a year", "received_on": D(2026, 11, 5)},
     [("no_contract_comments", D(2026, 11, 25),
       "15 working days beginning with 5 November 2026")],
     ["section 83(6)", "not yet obtained its funding", "A 25-year lease at £1 a year",
      "15 working days beginning with the date you receive it", "Wednesday 25 November 2026",
      "regulation 4(3)"]),
    ("scotland-atr", "offer_acknowledgement", "make_offer",
     {"offer": "We offer £1 on the terms and conditions in the decision notice."},
     [("contract", D(2027, 5, 5), "6 months from the date of the offer")],
     ["5 November 2026", "We offer £1 on the terms", "Wednesday 5 May 2027", "10 working days"]),
    ("scotland-atr", "completion_certificate", "conclude_contract", {}, [],
     ["Certificate of completion", "5 November 2026", "Friends of Riverside Park",
      "Type of transfer", "Lease"]),
    ("england-acv", "nomination_acknowledgement", "acknowledge", {},
     [("listing_decision", D(2026, 10, 27), "8 weeks from receipt of the nomination")],
     ["Tuesday 27 October 2026", "eight weeks"]),
    ("england-acv", "nomination_notice_owner", "submit", {},
     [("listing_decision", D(2026, 12, 31), LISTING_DECISION)],
     ["Riverside Estates Ltd", "2 Quay Street", "as the owner of", "Friends of Riverside Park",
      "Thursday 31 December 2026", "regulations 7 and 8"]),
    ("england-acv", "nomination_notice_occupier", "submit", {},
     [("listing_decision", D(2026, 12, 31), LISTING_DECISION)],
     ["Park Café Ltd", "as the occupier of", "Thursday 31 December 2026"]),
    ("england-acv", "listing_notice", "list", {"reasons": LISTING_REASONS}, LISTING_DATES,
     ["youth club", "Tuesday 4 November 2031", "Thursday 31 December 2026",
      "The owner's right to a review", "separately to the owner (Riverside Estates Ltd), to the "
      "occupier (Park Café Ltd)", "First-tier Tribunal"]),
    ("england-acv", "listing_notice_owner", "list", {"reasons": LISTING_REASONS}, LISTING_DATES,
     ["Dear Riverside Estates Ltd", "2 Quay Street", "as the owner of the land", "youth club",
      "Your right to a review", "You, as owner of the land, may ask",
      "eight weeks after the date of the notice to the owner", "Thursday 31 December 2026",
      "or such longer period as we allow in writing", "oral hearing", "vacant possession",
      "25 years", "13 weeks", "Tuesday 4 November 2031"]),
    ("england-acv", "listing_notice_occupier", "list", {"reasons": LISTING_REASONS}, LISTING_DATES,
     ["Dear Park Café Ltd", "as the occupier of the land", "The owner's right to a review",
      "Thursday 31 December 2026"]),
    ("england-acv", "refusal_notice", "decline", {"reasons": "The main use is residential."},
     [("unsuccessful_nomination", D(2031, 11, 4), "5 years beginning with 5 November 2026")],
     ["main use is residential", "unsuccessful nominations", "Tuesday 4 November 2031"]),
    ("england-acv", "review_decision", "uphold_listing", {"reasons": "The use is not ancillary."},
     [("tribunal_appeal", D(2026, 12, 3), "28 days after 5 November 2026")],
     ["Dear Riverside Estates Ltd", "listing is upheld", "not ancillary",
      "28 days after the date this decision was sent", "Thursday 3 December 2026", "rule 22"]),
    ("england-acv", "review_decision", "remove_listing", {"reasons": "The use has ceased."}, [],
     ["listing is removed", "use has ceased", "notice of the removal"]),
    ("england-acv", "removal_notice", "expire", {"expired_on": D(2031, 11, 4)}, [],
     ["Dear Morag Campbell", "ended on 4 November 2031", "section 87(3)", "13 weeks",
      "separately to the owner (Riverside Estates Ltd)"]),
    ("england-acv", "removal_notice_owner", "remove_after_disposal",
     {"disposal_date": D(2026, 11, 2), "reasons": "The freehold was sold to Acme Ltd."}, [],
     ["Dear Riverside Estates Ltd", "relevant disposal on 2 November 2026", "Acme Ltd",
      "Regulation 2(b)", "including any moratorium"]),
    ("england-acv", "removal_notice", "record_sale_to_community",
     {"sale_date": D(2026, 11, 2), "buyer": "Red Lion Community Pub Ltd",
      "reasons": "The freehold, for £350,000."}, [],
     ["sold to Red Lion Community Pub Ltd, a community interest group, on 2 November 2026",
      "regulation 2(b)", "The freehold, for £350,000.", "including any moratorium"]),
    ("england-acv", "removal_notice_occupier", "remove_after_appeal",
     {"decided_on": D(2026, 11, 3), "reasons": "Not of community value."}, [],
     ["Dear Park Café Ltd", "On 3 November 2026 the First-tier Tribunal allowed",
      "Not of community value"]),
    ("england-acv", "moratorium_notice", "notify_disposal",
     {"notice_received_on": D(2026, 11, 5), "disposal_details": "Sale of the freehold"},
     [("interim_moratorium", D(2026, 12, 17), "6 weeks from the council's receipt of the notice"),
      ("full_moratorium", D(2027, 5, 5), "6 months from the council's receipt of the notice"),
      ("protected_period", D(2028, 5, 5), "18 months from the council's receipt of the notice")],
     ["Thursday 17 December 2026", "Wednesday 5 May 2027", "Friday 5 May 2028", "Protected period",
      "Sale of the freehold"]),
    ("england-acv", "interest_acknowledgement", "express_interest",
     {"statement": "We wish to be treated as a potential bidder."},
     [("full_moratorium", D(2027, 5, 5), "6 months from the council's receipt of the notice")],
     ["treated as a potential bidder", "Wednesday 5 May 2027", "does not have to sell",
      "passed your request on to the owner"]),
    ("england-acv", "interest_notice_owner", "record_interest",
     {"group_name": "Red Lion Community Pub Ltd", "group_address": "3 High Street\nExampletown",
      "received_on": D(2026, 11, 4)},
     [("full_moratorium", D(2027, 5, 5), "6 months beginning with 5 November 2026"),
      ("protected_period", D(2028, 5, 5), "18 months beginning with 5 November 2026")],
     ["Dear Riverside Estates Ltd", "Red Lion Community Pub Ltd", "3 High Street, Exampletown",
      "On 4 November 2026", "full moratorium", "Wednesday 5 May 2027", "Friday 5 May 2028",
      "You do not have to sell", "sections 95 and 98"]),
    ("england-acv", "compensation_decision", "decide_compensation",
     {"decision": "agreed", "amount": Decimal("1250.00"),
      "reasons": "The moratorium delayed the sale by four months."},
     [("compensation_review_request", D(2026, 12, 31), "8 weeks after 5 November 2026")],
     ["We will pay compensation of £1,250.00", "delayed the sale", "regulation 16",
      "Thursday 31 December 2026", "First-tier Tribunal"]),
    ("england-acv", "compensation_review_decision", "decide_compensation_review",
     {"decision": "refused", "reasons": "No evidence of the loss was given."},
     [("compensation_appeal", D(2026, 12, 3), "28 days after 5 November 2026")],
     ["We have refused the claim", "No evidence of the loss", "Thursday 3 December 2026",
      "28 days after the date this decision was sent", "rule 22"]),
    ("council-cat", "eoi_acknowledgement", "submit_eoi", {},
     [("eoi_response", D(2026, 12, 3), "1 month from receipt")],
     ["Thursday 3 December 2026", "expression of interest"]),
    ("council-cat", "eoi_outcome", "accept_eoi", {"message": "Talk to us before you start."},
     [("business_case", D(2027, 1, 14), "10 weeks from the invitation")],
     ["Invitation to submit a business case", "£18,500.00", "12,500 m²",
      "Fair; pavilion roof needs work", "Public park with a pavilion", "Thursday 14 January 2027",
      "Talk to us before you start"]),
    ("council-cat", "eoi_outcome", "decline_eoi", {"reasons": "The group is not yet constituted."},
     [], ["not yet constituted", "complaints procedure"]),
    ("council-cat", "application_acknowledgement", "submit_application", {},
     [("decision", D(2027, 2, 2),
       "60 working days beginning with the day the application arrived")],
     ["business case", "community need and support", "Tuesday 2 February 2027"]),
    ("council-cat", "information_request", "request_information",
     {"missing_items": ["Last two years' accounts"]},
     [("information", D(2026, 11, 26), "15 working days")],
     ["Last two years' accounts", "Thursday 26 November 2026"]),
    ("council-cat", "assessment_report", "recommend",
     {"recommendation": "approve", "summary": "A strong, sustainable proposal."}, [],
     ["Community need and support", "Weight 30", "Alex Officer", "Sam Assessor", "Pass mark",
      "72%", "68%", "70%", "60%", "meets the pass mark", "Recommendation: Approve the transfer",
      "strong, sustainable proposal"]),
    ("council-cat", "decision_notice", "approve",
     {"transfer_type": "lease", "term_years": 35, "rent_or_price": Decimal(1),
      "conditions": "Keep the park open to the public\nInsure the pavilion",
      "reasons": "The proposal scored well.", **CONSIDERATION},
     [("heads_of_terms", D(2027, 1, 5), "2 months after 5 November 2026")],
     ["approved", "Lease", "35", "Rent per year or price", "£1.00",
      "Keep the park open to the public", "Insure the pavilion", "scored well",
      "Best consideration reasonably obtainable (market value) £250,000.00",
      "Value of the consideration agreed £0.00", "Undervalue £250,000.00",
      "General Disposal Consent (England) 2003", "A hub for the ward", "Tuesday 5 January 2027"]),
    ("council-cat", "decision_notice", "refuse", {"reasons": "The business plan is not viable."},
     [], ["refused", "not viable", "complaints procedure"]),
    ("council-cat", "heads_of_terms", "approve",
     {"transfer_type": "lease", "term_years": 35, "rent_or_price": "1.00",
      "conditions": "Repay the discount if the use changes within 10 years", **CONSIDERATION},
     [], ["SUBJECT TO CONTRACT AND WITHOUT PREJUDICE", "Landlord", "Tenant", "Repay the discount",
          "Undervalue £250,000.00", "General Disposal Consent (England) 2003"]),
    ("council-cat", "transfer_summary", "agree_heads_of_terms", {},
     [], ["Summary of the draft lease", "Lease", "£1.00", "legal document itself will prevail"]),
    ("council-cat", "completion_certificate", "complete", {},
     [], ["Certificate of completion", "Friends of Riverside Park", "35"]),
]


@pytest.mark.parametrize(
    "workflow, kind, action, data, deadlines, phrases", CASES,
    ids=[f"{c[0]}/{c[1]}/{c[2]}" for c in CASES])
def test_kind_renders_what_matters(case, record_event, add_deadline, officers, text_of,
                                   workflow, kind, action, data, deadlines, phrases):
    application = case(workflow, answers=PARTIES if workflow == "england-acv" else {})
    application.terms = dict(RECORDED_TERMS)  # what record_terms keeps from the decision
    event = record_event(application, action, data)
    for name, due_on, rule in deadlines:
        add_deadline(application, name, due_on, rule, event=event)
    for officer, scores in zip(officers,
                               [{"need": 4, "viability": 3, "governance": 4, "reasons": 4},
                                {"need": 3, "viability": 4, "governance": 3, "reasons": 3}]):
        db.session.add(Assessment(application_id=application.id, assessor_id=officer.id,
                                  scores=scores,
                                  comments={"need": "Strong petition", "reasons": "Clear"}))
    db.session.add(Representation(application_id=application.id, from_name="Jo Neighbour",
                                  received_on=D(2026, 11, 20),
                                  text="The park is loved by dog walkers.",
                                  recorded_by_id=officers[0].id))
    db.session.flush()

    [document] = issue_documents(application, [kind], event, data, copy_policy(application))
    if os.environ.get("DOCUMENTS_DUMP_DIR"):  # to look at the letters: pdftoppm them
        Path(os.environ["DOCUMENTS_DUMP_DIR"], f"{workflow}-{kind}-{action}.pdf").write_bytes(
            read_document(document))

    text = text_of(read_document(document))
    common = [application.reference, "Exampleshire Council", "5 November 2026", "Issued under"]
    if TO.get(kind) is None and kind not in ("public_notice", "owner_notice",
                                             "assessment_report", "interest_acknowledgement"):
        common += ["Morag Campbell", "Friends of Riverside Park", "1 Main Street"]
    for phrase in common + phrases:  # headings are upper-cased by the print CSS
        assert phrase.lower() in text.lower(), f"{phrase!r} missing from {workflow}/{kind}"
    assert f"Page 1 of {document.page_count}" in text
    assert f"{document.title} · version 1" in text
    assert document.has_public_copy == (kind in PUBLIC_COPY_KINDS[workflow])
    if document.has_public_copy:
        copy = text_of(read_public_copy(document))
        for phrase in common + phrases:
            if not any(person in phrase for person in PERSONAL):
                assert phrase.lower() in copy.lower(), f"{phrase!r} missing from the copy"
        for person in PERSONAL:
            assert person not in copy, f"{person!r} in the copy of {workflow}/{kind}"
        assert "Published copy with personal data removed" in copy


# Who the letters name (the lead contact and the group's address, the officer, a representer,
# the owner and occupier): never in a published copy.
PERSONAL = ("Morag Campbell", "1 Main Street", "Alex Officer", "Jo Neighbour",
            "Riverside Estates Ltd", "2 Quay Street", "Park Café Ltd")


def test_every_contract_kind_has_a_case():
    covered = {(c[0], c[1]) for c in CASES}
    assert covered == {(w, k) for w, kinds in KINDS.items() for k in kinds}


@pytest.mark.parametrize("workflow, kind, action, data, missing", [
    ("scotland-atr", "decision_notice", "refuse", {}, "reasons"),
    ("scotland-atr", "decision_notice", "agree", {"terms": "x"}, "offer_deadline"),
    ("scotland-atr", "validation_notice", "validate", {}, "validation_date"),
    ("scotland-atr", "review_decision_notice", "review_refuse", {"reasons": "x"},
     "review_outcome"),
    ("council-cat", "eoi_outcome", "record", {}, "decision"),
    ("council-cat", "information_request", "request_information", {"missing_items": []},
     "missing_items"),
    ("england-acv", "removal_notice_owner", "remove_no_longer_of_value", {},
     "reasons or expired_on"),
    ("england-acv", "compensation_decision", "decide_compensation", {"decision": "agreed"},
     "reasons"),
])
def test_missing_legal_facts_fail_loudly(case, record_event, workflow, kind, action, data, missing):
    application = case(workflow)
    event = record_event(application, action, data)
    with pytest.raises(MissingData, match=missing):
        issue_documents(application, [kind], event, data)


def test_user_text_is_escaped_not_markup(case, record_event, text_of):
    application = case("council-cat")
    reasons = '<b>bold</b> <img src="file:///etc/passwd"> & <link rel="attachment" href="file:///etc/passwd">'
    event = record_event(application, "decline_eoi", {"reasons": reasons})
    [document] = issue_documents(application, ["eoi_outcome"], event, {"reasons": reasons})
    text = text_of(read_document(document))
    assert '<b>bold</b> <img src="file:///etc/passwd"> &' in text


def test_addressee_falls_back_to_the_organisation(make, workflows, record_event, text_of):
    organisation = make.OrganisationFactory(name="Riverside Trust")  # no lead contact
    application = make.ApplicationFactory(workflow="council-cat", state="submitted",
                                          organisation=organisation)
    event = record_event(application, "submit_eoi")
    [document] = issue_documents(application, ["eoi_acknowledgement"], event, {})
    assert "Dear Riverside Trust" in text_of(read_document(document))


def test_validation_notice_names_other_live_requests_for_the_land(make, case, record_event,
                                                                  text_of):
    application = case("scotland-atr")
    make.ApplicationFactory(workflow="scotland-atr", state="submitted", asset=application.asset,
                            reference="ATR-2026-0099")
    make.ApplicationFactory(workflow="scotland-atr", state="draft", asset=application.asset,
                            reference="ATR-2026-0100")  # a draft is not a request yet
    data = {"validation_date": D(2026, 11, 5), "s84_position": "barred"}
    [document] = issue_documents(application, ["validation_notice"],
                                 record_event(application, "validate", data), data)
    text = text_of(read_document(document))
    assert ("Another asset transfer request has been made for this land "
            "(our reference ATR-2026-0099)") in text
    assert "ATR-2026-0100" not in text


def test_a_validation_notice_without_an_s84_position_states_the_restriction(case, record_event,
                                                                          text_of):
    """No recorded exception is read as the bar applying: the reading that cannot let the council
    dispose of the land unlawfully."""
    application = case("scotland-atr")
    data = {"validation_date": D(2026, 11, 5)}
    [document] = issue_documents(application, ["validation_notice"],
                                 record_event(application, "validate", data), data)
    assert "section 84 of the Act prevents" in text_of(read_document(document))


def test_the_real_workflows_declare_exactly_these_kinds(app):
    """The kind names are a contract with workflows/*.yaml (when the registry is loaded)."""
    registry = app.extensions.get("workflows")
    if registry is None or registry.get("council-cat") is None:
        pytest.skip("the workflow registry is not loaded")
    for key, kinds in KINDS.items():
        assert set(registry[key].documents) - {"legal_pack"} == set(kinds), key


def test_letterhead_blocks_do_not_overlap_the_heading(case, record_event):
    """The addressee and the heading sit one above the other (floats are cleared)."""
    application = case("council-cat")
    [document] = issue_documents(application, ["eoi_acknowledgement"],
                                 record_event(application, "submit_eoi"), {})
    heights = {}

    def visit(text, cm, tm, font, size):
        for marker in ("EX1 2AB", "We have received your expression", "Asset"):
            if text.strip().startswith(marker):
                heights.setdefault(marker, tm[5])

    PdfReader(io.BytesIO(read_document(document))).pages[0].extract_text(visitor_text=visit)
    # WeasyPrint's text matrix runs top-down (y grows down the page)
    heading = heights["We have received your expression"]
    assert heading > heights["EX1 2AB"] + 20  # the heading starts 20pt below the address
    assert heading > heights["Asset"] + 20  # and below the last row of the reference block
