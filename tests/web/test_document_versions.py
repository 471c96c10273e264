"""A letter issued again: the group's and the council's case pages mark the old version
superseded and name the version that replaced it; the new letter says which it replaces and why."""
from assettransfer.documents import read_document
from assettransfer.extensions import db
from assettransfer.models import Document
from assettransfer.wording import long_date
from assettransfer.workflow.calendar import uk_today
from tests.documents.conftest import pdf_text
from tests.web.test_council_case import case_url, text
from tests.workflow.conftest import act, asset, new_application, people, walk  # noqa: F401


def test_the_case_pages_mark_a_superseded_letter(
        client, login_as, people, new_application, act, walk):  # noqa: F811
    application = walk(new_application("council-cat"), "application_submitted")
    act(people.officer, application, "request_information", missing_items="Accounts")
    act(people.applicant, application, "provide_information")
    act(people.officer, application, "request_information", missing_items="Business plan")
    first, second = db.session.scalars(db.select(Document).filter_by(
        application_id=application.id, kind="information_request").order_by(Document.version))
    today = long_date(uk_today())

    assert (first.version, second.version) == (1, 2) and not first.is_current
    assert (f"This letter replaces version 1 issued on {today}, because it was issued again "
            "when this action was taken: Ask the group for information."
            ) in pdf_text(read_document(second))
    for user, url in ((people.officer, case_url(application)),
                      (people.applicant, f"/applications/{application.id}")):
        login_as(user)
        page = text(client.get(url))
        assert page.count("Superseded") == 1, url
        assert f"Version 1, issued {today} , superseded by version 2 on {today}" in page, url
        assert f"Version 2, issued {today} . PDF" in page, url
        client.post("/account/sign-out")

