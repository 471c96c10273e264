"""Uploads that would mislead: polyglots, names that read as something else, too many files."""

import pytest

from assettransfer.walks import blank_pdf
from tests.services.test_file_types import MARKUP, with_comment
from tests.web.conftest import inline_error
from tests.web.test_applicant_files import attachments, upload


@pytest.mark.parametrize("name", [
    "invoice\u202efdp.exe",  # a right-to-left override: reads as "invoiceexe.pdf"
    "plan\u2066.pdf",            # a bidi isolate
    "report\u200b.pdf",          # zero-width space
    "bell\x07.pdf",
])
def test_a_name_with_control_or_direction_characters_is_refused(
        client, login_as, applicant, start, name):
    application = start("scotland-atr")
    login_as(applicant)
    response = upload(client, application, name=name)
    assert inline_error(response, "file").startswith(
        "The file name must not contain control or text-direction characters")
    assert attachments(application) == []


def test_a_pdf_that_is_also_a_web_page_is_refused(client, login_as, applicant, start):
    application = start("scotland-atr")
    login_as(applicant)
    response = upload(client, application, data=with_comment(blank_pdf(), MARKUP))
    assert inline_error(response, "file").startswith("The file contains web page code")
    assert attachments(application) == []


class TestFilesPerApplication:
    @pytest.fixture
    def config_overrides(self, config_overrides):
        return {**config_overrides, "UPLOAD_MAX_FILES_PER_APPLICATION": 2}

    def test_no_more_than_the_setting_allows(self, client, login_as, applicant, start):
        application = start("scotland-atr")
        login_as(applicant)
        for name in ("one.pdf", "two.pdf"):
            assert upload(client, application, name=name).status_code == 302
        response = upload(client, application, name="three.pdf")
        assert inline_error(response, "file") == (
            "An application can have at most 2 files: remove one before adding another")
        assert len(attachments(application)) == 2


def test_an_upload_is_served_as_an_attachment_never_shown(client, login_as, applicant, start):
    application = start("scotland-atr")
    login_as(applicant)
    assert upload(client, application).status_code == 302
    response = client.get(f"/files/attachments/{attachments(application)[0].id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
