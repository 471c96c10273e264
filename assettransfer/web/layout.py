"""What every page shares: the authority's branding, the navigation, filters and error pages."""

import logging
import re
from datetime import timedelta

from flask import Flask, current_app, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, TooManyRequests

from ..models.types import utcnow
from ..security_log import security_event
from ..services.errors import DomainError, NotAllowed, NotFound
from ..throttle import retry_after
from ..wording import register_filters, uk_datetime
from .access import endpoint_exists
from .forms import error_list

DEFAULT_COLOUR = "#005a9c"
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")

# (label, endpoint, who sees it, the endpoints that mark it current): the header links, in order.
NAVIGATION = (
    ("Asset register", "public.assets", "everyone", "public.asset"),
    ("Requests and decisions", "register.index", "everyone", "register."),
    ("Your applications", "applicant.index", "applicant", "applicant."),
    ("Council dashboard", "council.dashboard", "council", "council."),
    ("Account", "account.overview", "signed_in", "account."),
    ("Sign in", "account.sign_in", "anonymous", "account.sign_in"),
)

ERROR_PAGES = {
    400: (
        "What you sent could not be read",
        [
            "It contained characters that no search, form or file name can hold, such as a NUL "
            "character.",
            "Go back, check what you typed or pasted, and try again.",
        ],
    ),
    403: (
        "You do not have permission to see this page",
        [
            "Your account does not give you access to this page.",
            "If you think it should, contact the council's asset team.",
        ],
    ),
    404: (
        "Page not found",
        [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
    ),
    409: (
        "Someone else changed this at the same time",
        ["Nothing you sent was saved. Go back, reload the page and try again."],
    ),
    413: ("The file you chose is too big", ["Go back and choose a smaller file."]),
    415: ("The file you chose is not a type we accept", ["Go back and choose another file."]),
    422: (
        "What you sent could not be accepted",
        ["Nothing was saved. Go back, correct it and try again."],
    ),
    500: (
        "Sorry, there is a problem with the service",
        ["Try again later. Anything you had saved before is safe."],
    ),
}
TOO_MANY_ATTEMPTS = (
    "Too many attempts",
    [
        "To keep accounts safe, we limit how many times anyone can try to sign in or create an "
        "account in a short time, for each account and from each connection.",
        "You can try again from {when}.",
    ],
)
CSRF_PAGE = (
    "Your form could not be sent",
    [
        ("This can happen if the page was open for a long time, or if you signed in or "
        "out in another tab."),
        "Go back, reload the page and try again. Anything you had saved before is safe.",
    ],
)


def init_app(app: Flask) -> None:
    app.context_processor(_layout_context)
    register_filters(app)
    app.add_template_global(error_list)
    for status in ERROR_PAGES:
        app.register_error_handler(status, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(TooManyRequests, _too_many_requests)
    # Views may let the services' errors escape rather than catch them: each means the same page
    # everywhere, and the request's transaction has already been rolled back.
    app.register_error_handler(DomainError, _domain_error)


def authority() -> dict:
    config = current_app.config
    colour = config.get("AUTHORITY_COLOUR") or DEFAULT_COLOUR
    return {
        "name": config["AUTHORITY_NAME"],
        # It goes into a <style> element: accept only a hex colour.
        "colour": colour if _HEX_COLOUR.fullmatch(colour) else DEFAULT_COLOUR,
        "logo": config.get("AUTHORITY_LOGO"),
        "address_lines": [ln for ln in (config.get("AUTHORITY_ADDRESS") or "").splitlines() if ln],
        "email": config.get("AUTHORITY_EMAIL"),
    }


def navigation() -> list[dict]:
    """The header links for the current user; the current section's link is marked."""
    signed_in = current_user.is_authenticated
    council = signed_in and current_user.is_council
    audience = {
        "everyone": True,
        "applicant": signed_in and not council,
        "council": council,
        "signed_in": signed_in,
        "anonymous": not signed_in,
    }
    endpoint = request.endpoint or ""
    return [
        {"text": label, "href": url_for(target), "active": endpoint.startswith(current)}
        for label, target, who, current in NAVIGATION
        if audience[who] and endpoint_exists(target)
    ]


def _layout_context() -> dict:
    return {"authority": authority(), "navigation": navigation()}


def _is_api() -> bool:
    # The API blueprint answers its own errors with problem+json; leave them alone.
    return request.path == "/api" or request.path.startswith("/api/")


def _render_error(status: int, title: str, paragraphs: list[str]):
    try:
        body = render_template("errors/error.html", title=title, paragraphs=paragraphs)
    except Exception:
        current_app.logger.exception("Could not render the %s page", status)
        body = f"<h1>{title}</h1>"
    return body, status


def _log_refusal(status: int) -> None:
    """An access check said no: the page is refused (403) or not shown to exist (404)."""
    user_id = current_user.id if current_user.is_authenticated else None
    security_event("access_refused", logging.WARNING, status=status, user_id=user_id)


def _http_error(error: HTTPException):
    if _is_api():
        return error
    if error.code == 403:  # abort(403) by an access check (web/access.py, a blueprint's hook)
        _log_refusal(403)
    title, paragraphs = ERROR_PAGES[error.code]
    if error.code == 413:
        limit_mb = current_app.config.get("UPLOAD_MAX_BYTES", 0) // (1024 * 1024)
        paragraphs = [f"Each file must be smaller than {limit_mb} MB.", *paragraphs]
    return _render_error(error.code, title, paragraphs)


def _too_many_requests(error: TooManyRequests):
    """A throttled request (``throttle.py``): when to try again, in words and in Retry-After."""
    if _is_api():
        return error
    seconds = retry_after()
    title, paragraphs = TOO_MANY_ATTEMPTS
    # uk_datetime shows whole minutes: round up, so the time given is never too early.
    when = uk_datetime(utcnow() + timedelta(seconds=seconds + 59))
    body, status = _render_error(429, title, [p.format(when=when) for p in paragraphs])
    return body, status, {"Retry-After": str(seconds)}


def _csrf_error(error: CSRFError):
    if _is_api():
        return error
    return _render_error(400, *CSRF_PAGE)


def _domain_error(error: DomainError):
    if _is_api():
        # Only reached when the API registers no handler of its own.
        return error.message, error.status
    if isinstance(error, NotAllowed | NotFound):
        _log_refusal(error.status)
    title, paragraphs = ERROR_PAGES[error.status]
    if error.status in (409, 422):
        # The page says why; a "saved" message the view queued before the refusal is untrue.
        session.pop("_flashes", None)
        reasons = [e.message for e in error.errors] or [error.message]
        paragraphs = [*reasons, *paragraphs]
    return _render_error(error.status, title, paragraphs)
