"""The security headers on pages and downloads (web/security_headers.py)."""

import re

import pytest

from tests.web.test_files import letter, sent  # noqa: F401  (fixtures)

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def assert_security_headers(response):
    for name, value in EVERY_RESPONSE.items():
        assert response.headers[name] == value, name
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def nonce_of(response) -> str:
    match = re.search(r"script-src 'self' 'nonce-([^']+)'",
                      response.headers["Content-Security-Policy"])
    assert match, response.headers["Content-Security-Policy"]
    return match.group(1)


class TestPages:
    def test_a_public_page(self, client):
        response = client.get("/")
        assert_security_headers(response)
        # Anyone may cache a public page; only signed-in pages are kept from caches.
        assert response.headers.get("Cache-Control") != "no-store"

    def test_a_signed_in_page_is_not_stored(self, client, login_as, applicant):
        login_as(applicant)
        response = client.get("/applications/")
        assert response.status_code == 200
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store"

    def test_every_inline_script_and_style_carries_this_responses_nonce(self, client):
        first, second = client.get("/"), client.get("/")
        assert nonce_of(first) != nonce_of(second)
        html = first.get_data(as_text=True)
        inline = re.findall(r"<(?:script|style)\b(?![^>]*\bsrc=)[^>]*>", html)
        assert inline, "the layout has inline blocks: the test would prove nothing"
        assert all(f'nonce="{nonce_of(first)}"' in tag for tag in inline), inline

    def test_an_error_page_has_them_too(self, client):
        response = client.get("/no-such-page")
        assert response.status_code == 404
        assert_security_headers(response)

    def test_no_hsts_over_plain_http_in_development(self, client):
        assert "Strict-Transport-Security" not in client.get("/").headers


class TestHsts:
    @pytest.fixture
    def config_overrides(self, config_overrides):
        return {**config_overrides, "SESSION_COOKIE_SECURE": True}

    def test_sent_where_the_cookie_is_secure(self, client):
        assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000"


class TestDownloads:
    def test_a_pdf_is_not_stored_but_its_etag_still_answers_304(
            self, client, login_as, applicant, letter):  # noqa: F811
        login_as(applicant)
        response = client.get(f"/files/documents/{letter.id}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store"
        again = client.get(f"/files/documents/{letter.id}",
                           headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
