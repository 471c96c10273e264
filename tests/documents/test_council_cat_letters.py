"""council-cat's letters state the law of the council's nation on disposing of its land, the
consideration and consent a decision relies on, and the advertisement of open space."""
from datetime import date

import pytest

from assettransfer.documents import read_document

from .issuing import issue_documents

DECIDED = {"transfer_type": "lease", "term_years": 25, "rent_or_price": "1.00",
           "conditions": "Community use", "reasons": "Scored well.",
           "market_value": "250000.00", "consideration_value": "0.00",
           "undervalue": "250000.00"}
ADVERT = {"newspaper": "Exampletown Gazette", "first_published_on": date(2027, 1, 7),
          "second_published_on": date(2027, 1, 14), "objections_by": date(2027, 1, 20)}


@pytest.fixture
def nation():
    return "england"


@pytest.fixture
def config_overrides(nation):
    return {"AUTHORITY_NAME": "Exampleshire Council", "AUTHORITY_NATION": nation}


@pytest.fixture
def letter(case, record_event, text_of):
    """The text of ``kind`` issued by ``action`` with ``data``, after the ``earlier`` events."""

    def issue(kind, action, data, earlier=()):
        application = case("council-cat")
        for name, payload in earlier:
            record_event(application, name, payload)
        [document] = issue_documents(application, [kind], record_event(application, action, data),
                                     data)
        return text_of(read_document(document))

    return issue


@pytest.mark.parametrize("nation, present, absent", [
    ("england", ["section 123 of the Local Government Act 1972",
                 "General Disposal Consent (England) 2003", "the Secretary of State"], ["Wales"]),
    ("wales", ["section 123 of the Local Government Act 1972",
               "General Disposal Consent (Wales) 2003", "the Welsh Ministers"], ["England"]),
    ("scotland", ["section 74 of the Local Government (Scotland) Act 1973",
                  "Disposal of Land by Local Authorities (Scotland) Regulations 2010"],
     ["section 123", "Disposal Consent"]),
    ("northern-ireland", ["Local Government Act (Northern Ireland) 1972",
                          "consent of the Department for Communities"],
     ["section 123", "Disposal Consent"]),
])
def test_every_letter_gives_the_law_of_the_councils_nation(letter, nation, present, absent):
    text = letter("eoi_acknowledgement", "submit_eoi", {})
    issued_under = text[text.index("ISSUED UNDER"):]  # headings are upper-cased by the CSS
    for phrase in present:
        assert phrase in issued_under
    for phrase in absent:
        assert phrase not in issued_under


@pytest.mark.parametrize("nation, consent, phrases", [
    ("england", {"disposal_consent": "specific_consent", "consent_reference": "MHCLG/42"},
     ["The specific consent of the Secretary of State under section 123(2) of the Local "
      "Government Act 1972, reference MHCLG/42"]),
    ("wales", {"disposal_consent": "specific_consent", "consent_reference": "WG/7"},
     ["The specific consent of the Welsh Ministers", "reference WG/7"]),
    ("wales", {"disposal_consent": "general_consent_wales", "wellbeing": "Youth work."},
     ["The General Disposal Consent (Wales) 2003", "Youth work."]),
    ("england", {"disposal_consent": "short_tenancy"},
     ["a short tenancy, to which the rule of best consideration in section 123(2)",
      "(section 123(7))"]),
    ("england", {"disposal_consent": "none_needed"},
     ["None is needed: the consideration is the best that can reasonably be obtained."]),
    ("scotland", {"disposal_consent": "local_basis",
                  "local_basis": "Regulations 3 and 4 of the 2010 Regulations."},
     ["Consent relied on Regulations 3 and 4 of the 2010 Regulations."]),
])
def test_the_decision_notice_records_the_consideration_and_the_consent(letter, consent,
                                                                       phrases):
    text = letter("decision_notice", "approve", {**DECIDED, **consent})
    for phrase in ["Best consideration reasonably obtainable (market value) £250,000.00",
                   "Value of the consideration agreed £0.00", "Undervalue £250,000.00",
                   *phrases]:
        assert phrase in text
    assert "Disposal consent" not in text and "disposal_consent" not in text


def test_a_refusal_notice_says_nothing_of_consideration(letter):
    text = letter("decision_notice", "refuse", {"reasons": "Not sustainable."})
    assert "Best consideration" not in text and "open space" not in text


@pytest.mark.parametrize("kind, action, data", [
    ("decision_notice", "approve", {**DECIDED, "disposal_consent": "none_needed"}),
    ("assessment_report", "recommend", {"recommendation": "approve", "summary": "Good."}),
])
def test_the_report_and_the_decision_give_the_advertisement_and_the_objections(
        letter, kind, action, data):
    considered = {"objections_received": 2,
                  "objections": "Jo Neighbour: the play area.\n\nSam Walker: the dog field.",
                  "consideration": "The lease keeps both open to all."}
    text = letter(kind, action, data, earlier=[("advertise_disposal", ADVERT),
                                               ("consider_objections", considered)])
    for phrase in ["Riverside Park", "is open space. As section 123(2A) of the Local Government "
                   "Act 1972 requires, we advertised our intention to dispose of it in two "
                   "consecutive weeks in Exampletown Gazette, on 7 January 2027 and 14 January "
                   "2027, and invited objections by 20 January 2027.",
                   "2 objections were received:", "Jo Neighbour: the play area.",
                   "Sam Walker: the dog field.", "We considered them as follows:",
                   "The lease keeps both open to all."]:
        assert phrase in text


def test_no_objections(letter):
    text = letter("decision_notice", "approve", {**DECIDED, "disposal_consent": "none_needed"},
                  earlier=[("advertise_disposal", ADVERT),
                           ("consider_objections", {"objections_received": 0,
                                                    "objections": "None.",
                                                    "consideration": "None to consider."})])
    assert "No objections were received." in text and "None to consider." not in text


def test_land_not_advertised_has_no_open_space_paragraph(letter):
    text = letter("decision_notice", "approve", {**DECIDED, "disposal_consent": "none_needed"})
    assert "open space" not in text
