"""A re-issued letter says in itself which version it replaces, when that was issued and why."""
from datetime import UTC, datetime
from types import SimpleNamespace

from assettransfer.documents import read_document, service
from assettransfer.documents.records import document_of_key, replacements
from assettransfer.extensions import db

from .conftest import pdf_text
from .issuing import issue_documents

FIRST = datetime(2027, 3, 3, 10, tzinfo=UTC)
SECOND = datetime(2027, 3, 17, 10, tzinfo=UTC)


def test_a_reissued_letter_names_the_version_it_replaces_and_why(case, record_event, workflows):
    workflows["council-cat"].actions = {
        "request_information": SimpleNamespace(label="Ask the group for more information")}
    application = case("council-cat")
    [first] = issue_documents(application, ["information_request"],
                              record_event(application, "request_information", at=FIRST),
                              {"missing_items": ["Accounts"]})
    [second] = issue_documents(application, ["information_request"],
                               record_event(application, "request_information", at=SECOND),
                               {"missing_items": ["Accounts", "Business plan"]})

    assert "replaces" not in pdf_text(read_document(first))
    assert ("This letter replaces version 1 issued on 3 March 2027, because it was issued again "
            "when this action was taken: Ask the group for more information."
            ) in pdf_text(read_document(second))
    assert replacements([first, second]) == {first.id: second}


def test_a_version_still_being_prepared_is_the_one_replaced(case, record_event):
    """Two versions ordered before either is rendered: the second names the first, from its
    order, and an action the workflow does not label is named from its code."""
    application = case("council-cat")
    orders = [
        service.issue_documents(application, ["information_request"],
                                record_event(application, "ask", at=at), {"missing_items": [item]})
        for at, item in ((FIRST, "Accounts"), (SECOND, "Business plan"))
    ]
    db.session.commit()
    first, second = (document_of_key(order.key) for [order] in orders)

    assert (first.version, second.version) == (1, 2)
    assert ("This letter replaces version 1 issued on 3 March 2027, because it was issued again "
            "when this action was taken: Ask.") in pdf_text(read_document(second))
