"""Letters to people outside the council print only what is public of the asset
(``services/public.py``): never the council's valuation."""
import pytest

from assettransfer.services.reads import read_document
from tests.documents.test_templates import CASES, PARTIES

from .issuing import issue_documents

# Letters to an owner, an occupier, another group, and the public.
OUTSIDE = ("listing_notice_owner", "listing_notice_occupier", "nomination_notice_owner",
           "removal_notice_owner", "public_notice", "owner_notice", "eoi_outcome")


@pytest.mark.parametrize(
    "workflow, kind, action, data",
    [(c[0], c[1], c[2], c[3]) for c in CASES if c[1] in OUTSIDE],
    ids=lambda value: value if isinstance(value, str) else "")
def test_letters_do_not_print_the_valuation(case, record_event, text_of,
                                             workflow, kind, action, data):
    application = case(workflow, answers=PARTIES if workflow == "england-acv" else {})
    application.asset.estimated_market_value = 475000
    event = record_event(application, action, data)
    [document] = issue_documents(application, [kind], event, data)
    text = text_of(read_document(document))
    assert application.asset.name in text
    assert "475,000" not in text and "market value" not in text.lower()
