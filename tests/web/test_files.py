"""Downloads: issued documents, uploaded attachments and the current legal pack."""

import hashlib

import pytest
import sqlalchemy as sa

from assettransfer.documents.service import current_legal_pack
from assettransfer.extensions import db
from assettransfer.models import Document
from assettransfer.services.actions import take_action
from assettransfer.services.attachments import add_attachment
from assettransfer.walks import blank_pdf


@pytest.fixture
def sent(applicant, start):
    application = start("council-cat", answers=True)
    take_action(applicant, application, "submit_eoi")
    db.session.commit()
    return application


@pytest.fixture
def letter(sent) -> Document:
    return db.session.scalar(sa.select(Document).where(Document.application_id == sent.id))


@pytest.fixture
def upload(applicant, start):
    application = start("scotland-atr")
    attachment = add_attachment(applicant, application, "constitution", "Our constitution.pdf",
                                blank_pdf())
    db.session.commit()
    return attachment


class TestDocuments:
    def test_a_member_downloads_the_pdf(self, client, login_as, applicant, letter):
        login_as(applicant)
        response = client.get(f"/files/documents/{letter.id}")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF-")
        assert hashlib.sha256(response.data).hexdigest() == letter.sha256
        assert response.headers["ETag"] == f'"{letter.sha256}"'
        assert response.headers["Content-Disposition"].startswith(
            'attachment; filename="eoi-acknowledgement-v1.pdf"')
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_unchanged_is_304(self, client, login_as, applicant, letter):
        login_as(applicant)
        response = client.get(f"/files/documents/{letter.id}",
                              headers={"If-None-Match": f'"{letter.sha256}"'})
        assert response.status_code == 304 and response.data == b""

    def test_council_staff_may_download(self, client, login_as, officer, letter):
        login_as(officer)
        assert client.get(f"/files/documents/{letter.id}").status_code == 200

    def test_another_organisation_gets_404(self, client, login_as, outsider, letter):
        login_as(outsider)
        assert client.get(f"/files/documents/{letter.id}").status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, letter):
        response = client.get(f"/files/documents/{letter.id}")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/sign-in?next=")

    def test_missing_is_404(self, client, login_as, applicant):
        login_as(applicant)
        assert client.get("/files/documents/99999").status_code == 404


class TestAttachments:
    def test_a_member_downloads_it_with_its_name_and_type(self, client, login_as, applicant,
                                                          upload):
        login_as(applicant)
        response = client.get(f"/files/attachments/{upload.id}")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert hashlib.sha256(response.data).hexdigest() == upload.sha256
        assert response.headers["ETag"] == f'"{upload.sha256}"'
        disposition = response.headers["Content-Disposition"]
        assert 'filename="Our constitution.pdf"' in disposition
        assert "filename*=UTF-8''Our%20constitution.pdf" in disposition

    def test_council_staff_may_download(self, client, login_as, officer, upload):
        login_as(officer)
        assert client.get(f"/files/attachments/{upload.id}").status_code == 200

    def test_another_organisation_gets_404(self, client, login_as, outsider, upload):
        login_as(outsider)
        assert client.get(f"/files/attachments/{upload.id}").status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, upload):
        assert client.get(f"/files/attachments/{upload.id}").status_code == 302


class TestLegalPack:
    def test_none_issued_yet_is_404(self, client, login_as, applicant, sent):
        login_as(applicant)
        assert client.get(f"/files/applications/{sent.id}/legal-pack").status_code == 404

    def test_the_current_pack(self, client, login_as, applicant, outsider, start, walk):
        application = walk(start("council-cat", answers=True), "sign_off")
        pack = current_legal_pack(application)
        login_as(applicant)
        response = client.get(f"/files/applications/{application.id}/legal-pack")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert hashlib.sha256(response.data).hexdigest() == pack.sha256
        assert response.headers["ETag"] == f'"{pack.sha256}"'
        client.post("/account/sign-out")
        login_as(outsider)
        assert client.get(f"/files/applications/{application.id}/legal-pack").status_code == 404
