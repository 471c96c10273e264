"""Uploading and removing supporting documents."""

import io

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import Attachment
from assettransfer.services.actions import take_action
from assettransfer.services.attachments import human_size
from assettransfer.walks import blank_pdf
from tests.web.conftest import CHEAP_ARGON2, error_summary, inline_error


def upload(client, application, kind="constitution", name="constitution.pdf", data=None):
    return client.post(
        f"/applications/{application.id}/files",
        data={"kind": kind, "file": (io.BytesIO(blank_pdf() if data is None else data), name)},
        content_type="multipart/form-data",
    )


def attachments(application) -> list[Attachment]:
    return list(db.session.scalars(
        sa.select(Attachment).where(Attachment.application_id == application.id)))


class TestUploadPage:
    def test_says_what_is_accepted_before_upload(self, client, login_as, applicant, start, page):
        application = start("scotland-atr")
        login_as(applicant)
        response = client.get(f"/applications/{application.id}/files")
        assert response.status_code == 200
        text = page(response)
        assert ("Accepted file types: Excel spreadsheet, JPEG image, OpenDocument spreadsheet, "
                "OpenDocument text, PDF, PNG image, Word document.") in text
        assert "Each file must be smaller than 10.0 MB" in text
        assert "Constitution Not uploaded yet" in text  # what sending needs
        html = response.get_data(as_text=True)
        assert 'enctype="multipart/form-data"' in html
        assert 'aria-describedby="file-hint"' in html
        assert 'accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods"' in html

    def test_uploads_a_file_and_lists_it_with_its_size(self, client, login_as, applicant, start,
                                                       page):
        application = start("scotland-atr")
        login_as(applicant)
        response = upload(client, application)
        assert response.status_code == 302
        [attachment] = attachments(application)
        assert attachment.kind.value == "constitution"
        assert attachment.original_filename == "constitution.pdf"
        text = page(client.get(response.headers["Location"]))
        assert "constitution.pdf has been uploaded" in text
        assert f"Constitution, {human_size(attachment.size)}." in text
        assert "Constitution Uploaded" in text

    def test_no_file_chosen(self, client, login_as, applicant, start):
        application = start("scotland-atr")
        login_as(applicant)
        response = client.post(f"/applications/{application.id}/files",
                               data={"kind": "constitution"}, content_type="multipart/form-data")
        assert response.status_code == 200
        assert inline_error(response, "file") == "Select a file to upload"
        assert attachments(application) == []

    def test_no_kind_chosen(self, client, login_as, applicant, start):
        application = start("scotland-atr")
        login_as(applicant)
        response = upload(client, application, kind="")
        assert inline_error(response, "kind") == "Select what the file is"
        response = upload(client, application, kind="photo_album")
        assert inline_error(response, "kind") == "Select what the file is"
        assert attachments(application) == []

    @pytest.mark.parametrize("name, data", [
        ("virus.exe", b"MZ\x90\x00"),
        ("renamed.pdf", b"GIF89a not really a pdf"),
        ("noextension", b"%PDF-1.4"),
    ])
    def test_wrong_type(self, client, login_as, applicant, start, name, data):
        application = start("scotland-atr")
        login_as(applicant)
        response = upload(client, application, name=name, data=data)
        assert response.status_code == 200
        assert inline_error(response, "file").startswith(
            "The file must be one of these types: Excel spreadsheet")
        assert error_summary(response)
        assert attachments(application) == []

    def test_empty_file(self, client, login_as, applicant, start):
        application = start("scotland-atr")
        login_as(applicant)
        response = upload(client, application, data=b"")
        assert inline_error(response, "file") == "The selected file is empty"

    def test_removes_a_file_while_editable(self, client, login_as, applicant, start, page):
        application = start("scotland-atr")
        login_as(applicant)
        upload(client, application)
        [attachment] = attachments(application)
        html = client.get(f"/applications/{application.id}/files").get_data(as_text=True)
        assert 'aria-label="Remove constitution.pdf"' in html
        response = client.post(f"/applications/{application.id}/files/{attachment.id}/remove")
        assert response.status_code == 302
        assert attachments(application) == []
        assert "constitution.pdf has been removed" in page(client.get(response.headers["Location"]))

    def test_no_changes_once_sent(self, client, login_as, applicant, start, page):
        application = start("council-cat", answers=True)
        login_as(applicant)
        upload(client, application, kind="other", name="support.pdf")
        [attachment] = attachments(application)
        take_action(applicant, application, "submit_eoi")
        db.session.commit()
        html = client.get(f"/applications/{application.id}/files").get_data(as_text=True)
        assert "You cannot add or remove files at this stage" in html
        assert "Remove" not in html and 'type="file"' not in html
        response = client.post(f"/applications/{application.id}/files/{attachment.id}/remove")
        assert response.status_code == 302
        assert len(attachments(application)) == 1
        response = upload(client, application)
        assert response.status_code == 302 and len(attachments(application)) == 1

    def test_another_organisations_files(self, client, login_as, applicant, outsider, start):
        application = start("scotland-atr")
        login_as(applicant)
        upload(client, application)
        [attachment] = attachments(application)
        client.post("/account/sign-out")
        login_as(outsider)
        assert client.get(f"/applications/{application.id}/files").status_code == 404
        assert upload(client, application).status_code == 404
        assert client.post(
            f"/applications/{application.id}/files/{attachment.id}/remove").status_code == 404
        assert len(attachments(application)) == 1

    def test_a_file_of_another_application_cannot_be_removed_through_this_one(
            self, client, login_as, applicant, start):
        first, second = start("scotland-atr"), start("council-cat")
        login_as(applicant)
        upload(client, first)
        [attachment] = attachments(first)
        response = client.post(f"/applications/{second.id}/files/{attachment.id}/remove")
        assert response.status_code == 404
        assert len(attachments(first)) == 1


class TestTooBig:
    @pytest.fixture
    def config_overrides(self):
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "UPLOAD_MAX_BYTES": 2048,
                "MAX_CONTENT_LENGTH": 8192}

    def test_over_the_upload_limit(self, client, login_as, applicant, start):
        application = start("scotland-atr")
        login_as(applicant)
        response = upload(client, application, data=b"%PDF-1.4" + b"0" * 4000)
        assert response.status_code == 200
        assert inline_error(response, "file") == "The file must be smaller than 2.0 KB"
        assert attachments(application) == []

    def test_over_the_request_limit_is_a_413_on_the_same_page(self, client, login_as, applicant,
                                                              start):
        application = start("scotland-atr")
        login_as(applicant)
        response = upload(client, application, data=b"%PDF-1.4" + b"0" * 20000)
        assert response.status_code == 413
        assert inline_error(response, "file") == "The file must be smaller than 2.0 KB"
        assert error_summary(response) == ["The file must be smaller than 2.0 KB"]
        assert attachments(application) == []
