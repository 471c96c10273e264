"""The security headers on API answers and downloads (web/security_headers.py)."""

from tests.web.test_security_headers import assert_security_headers


def test_a_json_answer(api, draft):
    response = api.get(f"/applications/{draft['id']}", "applicant")
    assert response.status_code == 200 and response.is_json
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_refusal(api):
    response = api.get("/applications")
    assert response.status_code == 401
    assert_security_headers(response)


def test_a_pdf_is_not_stored_but_its_etag_still_answers_304(api, draft):
    sent = api.walk(draft["id"], "eoi_submitted")
    url = sent["documents"][0]["url"].removeprefix("/api/v1")
    response = api.get(url, "applicant")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
    again = api.get(url, "applicant", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_an_upload_is_downloaded_as_an_attachment_never_shown(api, draft):
    uploaded = api.ok(api.attach("applicant", draft["id"], "constitution"), 201)
    response = api.get(uploaded["url"].removeprefix("/api/v1"), "officer")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
