"""council-cat's decision records best consideration, the consideration agreed, the undervalue and
the consent relied on: Local Government Act 1972 s123(2) and (7) and the General Disposal
Consents (England) and (Wales) 2003 in England and Wales; the basis in their own law in Scotland
and Northern Ireland."""
from decimal import Decimal

import pytest

from assettransfer.documents.service import current_legal_pack, read_document
from assettransfer.extensions import db
from assettransfer.models import AssetType
from assettransfer.services.disposal import consent_failures
from assettransfer.services.errors import ValidationFailed
from assettransfer.walks import begin
from assettransfer.workflow import workflows

TERMS = {"transfer_type": "lease", "term_years": 25, "rent_or_price": "1",
         "conditions": "Community use.", "reasons": "Meets the policy."}
WELLBEING = "A hub for the ward's young people."


@pytest.fixture
def nation():
    """The authority's nation, whose law and calendar council-cat follows (see conftest)."""
    return "england"


@pytest.fixture
def limits(app):
    """The parameters the workflow file gives the consent guard."""
    return workflows()["council-cat"].actions["approve"].guard("within_disposal_consent").params


def failures(nation, limits, **data):
    typed = {key: Decimal(value) if key.endswith("value") else value
             for key, value in data.items()}
    return consent_failures(nation, typed, limits["general_consent_limit"],
                            limits["short_tenancy_years"])


@pytest.fixture
def recommended(make, people, walk):
    """A library (no open-space steps) recommended for approval."""
    asset = make.AssetFactory(asset_type=AssetType.LIBRARY, name="Carnegie Library")
    application = begin(people.applicant, "council-cat", asset, people.organisation)
    db.session.commit()
    return walk(application, "recommended")


def test_the_workflow_file_sets_the_limits(limits):
    assert limits == {"general_consent_limit": 2000000, "short_tenancy_years": 7}


@pytest.mark.parametrize("nation, consent, secretary", [
    ("england", "general_consent_england", "the Secretary of State"),
    ("wales", "general_consent_wales", "the Welsh Ministers")])
def test_the_general_consent_covers_an_undervalue_of_two_million_and_no_more(
        recommended, people, act, consent, secretary):
    over = {**TERMS, "market_value": "2000000.01", "consideration_value": "0",
            "disposal_consent": consent, "wellbeing": WELLBEING}
    with pytest.raises(ValidationFailed) as refused:
        act(people.decision_maker, recommended, "approve", **over)
    assert [e.message for e in refused.value.errors] == [
        f"An undervalue of £2,000,000.01 is more than the £2,000,000.00 a general disposal "
        f"consent allows: the disposal needs the specific consent of {secretary}"]
    act(people.decision_maker, recommended, "approve",
        **{**over, "market_value": "2000001", "consideration_value": "1"})
    assert recommended.state == "heads_of_terms"
    assert recommended.terms["undervalue"] == "2000000.00"
    assert recommended.terms["disposal_consent"] == consent


def test_a_specific_consent_needs_its_reference(recommended, people, act):
    decision = {**TERMS, "market_value": "5000000", "consideration_value": "0",
                "disposal_consent": "specific_consent"}
    with pytest.raises(ValidationFailed) as refused:
        act(people.decision_maker, recommended, "approve", **decision)
    assert [e.message for e in refused.value.errors] == [
        "Give the reference of the specific consent of the Secretary of State"]
    act(people.decision_maker, recommended, "approve", consent_reference="MHCLG/2027/0042",
        **decision)
    assert recommended.terms["undervalue"] == "5000000.00"


def test_revised_heads_of_terms_are_checked_against_the_consent_again(
        recommended, people, act):
    act(people.decision_maker, recommended, "approve", market_value="250000",
        consideration_value="250000", disposal_consent="none_needed", **TERMS)
    assert recommended.terms["undervalue"] == "0.00"
    cheaper = {**TERMS, "reasons": "The group cannot pay the full rent.",
               "market_value": "250000", "consideration_value": "100000"}
    with pytest.raises(ValidationFailed) as refused:
        act(people.legal, recommended, "revise_heads_of_terms", disposal_consent="none_needed",
            **cheaper)
    assert [e.message for e in refused.value.errors] == [
        "The consideration is £150,000.00 less than best consideration: choose the consent that "
        "allows the undervalue"]
    act(people.legal, recommended, "revise_heads_of_terms", wellbeing=WELLBEING,
        disposal_consent="general_consent_england", **cheaper)
    assert recommended.terms["undervalue"] == "150000.00"


@pytest.mark.parametrize("data, expected", [
    ({"market_value": "100", "consideration_value": "100", "disposal_consent": "none_needed"},
     []),
    ({"market_value": "100", "consideration_value": "150", "disposal_consent": "none_needed"},
     []),  # more than the market value: no undervalue
    ({"market_value": "100", "consideration_value": "99.99", "disposal_consent": "none_needed"},
     ["The consideration is £0.01 less than best consideration: choose the consent that allows "
      "the undervalue"]),
    ({"market_value": "100", "consideration_value": "0", "disposal_consent": "local_basis",
      "local_basis": "x"},
     ["Section 123 of the Local Government Act 1972 applies to a council in England: choose "
      "the consent the disposal relies on under it"]),
    ({"market_value": "100", "consideration_value": "0",
      "disposal_consent": "general_consent_wales", "wellbeing": WELLBEING},
     ["The General Disposal Consent (Wales) 2003 applies only to councils in Wales"]),
    ({"market_value": "100", "consideration_value": "0",
      "disposal_consent": "general_consent_england"},
     ["Say how the transfer will promote or improve the economic, social or environmental "
      "well-being of the area: the general consent requires it"]),
])
def test_consents_in_england(limits, data, expected):
    assert failures("england", limits, **data) == expected


SHORT = ("Only a lease or licence for 7 years or less is a short tenancy (Local Government Act "
         "1972 s123(7)); give its term")


@pytest.mark.parametrize("transfer_type, term_years, expected", [
    ("lease", 7, []),
    ("licence", 1, []),
    ("lease", 7.5, [SHORT]),
    ("lease", 8, [SHORT]),
    ("lease", None, [SHORT]),
    ("freehold", None, [SHORT]),
])
@pytest.mark.parametrize("nation", ["england", "wales"])
def test_a_short_tenancy_needs_no_consent(limits, nation, transfer_type, term_years, expected):
    assert failures(nation, limits, market_value="100000", consideration_value="0",
                    disposal_consent="short_tenancy", transfer_type=transfer_type,
                    term_years=term_years) == expected


@pytest.mark.parametrize("nation, where", [("scotland", "Scotland"),
                                           ("northern-ireland", "Northern Ireland")])
@pytest.mark.parametrize("consent", ["general_consent_england", "general_consent_wales",
                                     "specific_consent", "short_tenancy"])
def test_s123_consents_do_not_apply_in_scotland_or_northern_ireland(limits, nation, where,
                                                                    consent):
    assert failures(nation, limits, market_value="100", consideration_value="0",
                    disposal_consent=consent, wellbeing=WELLBEING, consent_reference="R",
                    transfer_type="lease", term_years=5) == [
        f"Section 123 of the Local Government Act 1972 and its consents do not apply to a council "
        f"in {where}: choose “the basis stated below” and state it"]


@pytest.mark.parametrize("nation, where", [("scotland", "Scotland"),
                                           ("northern-ireland", "Northern Ireland")])
def test_scotland_and_northern_ireland_record_the_basis_of_their_own_law(
        recommended, people, act, nation, where):
    decision = {**TERMS, "market_value": "250000", "consideration_value": "0",
                "disposal_consent": "local_basis"}
    with pytest.raises(ValidationFailed) as refused:
        act(people.decision_maker, recommended, "approve", **decision)
    assert [e.message for e in refused.value.errors] == [
        f"State the basis in the law of {where} that the disposal relies on"]
    with pytest.raises(ValidationFailed) as refused:
        act(people.decision_maker, recommended, "approve",
            **{**decision, "disposal_consent": "none_needed"})
    assert [e.message for e in refused.value.errors] == [
        "The consideration is £250,000.00 less than best consideration: state the basis the "
        "disposal relies on"]
    act(people.decision_maker, recommended, "approve", local_basis="Our own law.", **decision)
    assert recommended.terms["undervalue"] == "250000.00"


def test_a_refusal_records_no_consideration(recommended, people, act):
    act(people.decision_maker, recommended, "refuse", reasons="Not sustainable.")
    assert recommended.state == "refused" and recommended.terms is None


def test_the_legal_pack_words_the_consent_relied_on(recommended, people, act, walk):
    """The pack the parties sign states the consent as the decision's form words it, not as the
    code it is stored under."""
    from tests.documents.conftest import pdf_text

    act(people.decision_maker, recommended, "approve",
        **{**TERMS, "market_value": "250000", "consideration_value": "1",
           "disposal_consent": "general_consent_england", "wellbeing": WELLBEING})
    walk(recommended, "sign_off")
    text = pdf_text(read_document(current_legal_pack(recommended)))
    assert "General Disposal Consent (England) 2003 - undervalue up to £2 million" in text
    assert "general_consent_england" not in text
