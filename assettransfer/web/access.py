"""Who may see what, and where people go after signing in."""

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from ..extensions import login_manager
from ..services import two_factor

# The pages staff who must set up two-factor sign-in may still reach.
BEFORE_TWO_FACTOR = {"account.two_factor_setup", "account.two_factor_qr", "account.sign_out"}


def require_login():
    """A ``before_request`` hook: anonymous visitors go to sign-in, with ``next`` set."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def require_council():
    """A ``before_request`` hook: signed-in council staff only (403 for applicants)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_council:
        abort(403)
    return None


def require_applicant():
    """A ``before_request`` hook: signed-in community group members only (403 for council staff,
    who have their own pages)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.is_council:
        abort(403)
    return None


def require_two_factor_set_up():
    """A ``before_request`` hook of every page blueprint: while an admin requires two-factor
    sign-in of staff, a council user without it is sent to set it up before any other page."""
    if (request.endpoint not in BEFORE_TWO_FACTOR and current_user.is_authenticated
            and two_factor.must_set_up(current_user)):
        return redirect(url_for("account.two_factor_setup"))
    return None


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects).

    Browsers read ``//host``, ``/\\host`` and URLs with tabs or newlines in them as other
    sites, so anything but a plain absolute path is refused rather than repaired.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def endpoint_exists(endpoint: str) -> bool:
    """Pages other blueprints add later (the asset register, applications) may not exist yet."""
    return endpoint in current_app.view_functions


def home_for(user) -> str:
    """Where a user lands after signing in: their own work, or their account."""
    if user.is_council and endpoint_exists("council.dashboard"):
        return url_for("council.dashboard")
    if not user.is_council and endpoint_exists("applicant.index"):
        return url_for("applicant.index")
    return url_for("account.overview")
