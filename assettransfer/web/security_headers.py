"""The security headers of every response, pages and API alike, set in this one place.

A Content-Security-Policy without ``unsafe-inline``: the few inline ``<script>``/``<style>``
blocks carry a nonce made afresh for each response (GOV.UK Frontend's template reads it as
``cspNonce``), so an injected script or style has none and does not run. See docs/security.md,
"Headers".
"""

import secrets

from flask import Flask, current_app, g, request
from flask_login import current_user

# Served by Flask and GOV.UK Frontend's assets route: public, immutable, cached by max_age.
_STATIC_ENDPOINTS = {"static", "govuk_assets"}
# Signed-in pages, the API and downloads are never kept by a browser or a shared cache.
_PRIVATE_BLUEPRINTS = {"api", "files"}
HSTS_SECONDS = 365 * 24 * 60 * 60


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        # GOV.UK Frontend's CSS draws a few icons as data: URIs.
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def _is_private() -> bool:
    return request.blueprint in _PRIVATE_BLUEPRINTS or current_user.is_authenticated


def add_security_headers(response):
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    # For browsers that predate frame-ancestors.
    headers["X-Frame-Options"] = "DENY"
    # Case and file URLs name what they are about: other sites learn only our origin.
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    # HTTPS is assumed wherever the cookie is Secure: everywhere but local development.
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}"
    if request.endpoint not in _STATIC_ENDPOINTS and _is_private():
        # ETags stay, so a client that kept a download may still ask If-None-Match (304).
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.context_processor(lambda: {"cspNonce": csp_nonce()})
