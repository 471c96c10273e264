"""Links sent by e-mail that prove their reader holds an address: confirming a new account's
address (here), and setting a new password when the old one is forgotten (``password_reset``).

A link carries a token signed with ``SECRET_KEY`` (itsdangerous, which Flask uses for its own
cookies), salted by purpose so one kind of link never works as the other, and dated, so it stops
working after ``CONFIRM_EMAIL_TIMEOUT`` or ``PASSWORD_RESET_TIMEOUT`` seconds. A confirmation
link names the address it was sent to, so it confirms nothing once the address has changed. A
reset link names a digest of the password hash it was sent against: setting a new password
changes the hash, so the link works once. Links start with ``SERVICE_URL``, never the Host a
request came with (a client could choose where a reset link points).

An account made by signing up is sent a confirmation link and may sign in at once, but may not
start or act on an application until the link is followed (:func:`require_confirmed_email`, which
the services that act on a bid call).
"""

import logging
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import User
from ..models.types import utcnow
from ..security_log import security_event
from . import account_audit
from .errors import FieldError, NotAllowed, ValidationFailed
from .messages import queue_message

CONFIRM_EMAIL_PATH = "/account/confirm-email/"
_CONFIRM = "confirm-email"

LINK_NOT_VALID = "This link has expired, has already been used, or is not complete"


class EmailNotConfirmed(NotAllowed):
    """The account's address is not confirmed yet, so it may not act on a bid."""


class LinkNotValid(ValidationFailed):
    """A link that was tampered with, has expired, or was used already."""

    def __init__(self):
        super().__init__(LINK_NOT_VALID, [FieldError("", LINK_NOT_VALID)])


def require_confirmed_email(user) -> None:
    """:raises EmailNotConfirmed: unless ``user``'s address is confirmed."""
    if isinstance(user, User) and not user.email_confirmed:
        security_event("access_refused", logging.WARNING, user_id=user.id,
                       reason="email_not_confirmed")
        raise EmailNotConfirmed(
            f"Confirm your email address before you start or act on an application: follow the "
            f"link we sent to {user.email}, or ask for a new one from your account page")


def serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"assettransfer.{purpose}")


def link(path: str, token: str) -> str:
    return current_app.config["SERVICE_URL"].rstrip("/") + path + token


def loads(purpose: str, token: str, max_age_setting: str) -> dict:
    try:
        claims = serializer(purpose).loads(token, max_age=current_app.config[max_age_setting])
    except SignatureExpired:
        security_event("link_refused", logging.WARNING, purpose=purpose, reason="expired")
        raise LinkNotValid() from None
    except BadSignature:
        security_event("link_refused", logging.WARNING, purpose=purpose, reason="bad_signature")
        raise LinkNotValid() from None
    if not isinstance(claims, dict):
        raise LinkNotValid()
    return claims


def sent_key(user: User, kind: str) -> str:
    # One message per request for a link; a retry of the same transaction writes it once.
    return f"user:{user.id}:email:{kind}:{secrets.token_hex(8)}"


def send_confirmation(user: User) -> None:
    """E-mail ``user`` a link that confirms their address (nothing if it is confirmed)."""
    if user.email_confirmed:
        return
    token = serializer(_CONFIRM).dumps({"user": user.id, "email": user.email})
    queue_message("confirm_email", key=sent_key(user, "confirm_email"), to_name=user.name,
                  to_address=user.email, user=user,
                  context={"to_name": user.name, "url": link(CONFIRM_EMAIL_PATH, token),
                           "valid_for": duration(current_app.config["CONFIRM_EMAIL_TIMEOUT"])})
    security_event("confirmation_sent", user_id=user.id)


def confirm_email(token: str) -> User:
    """Confirm the address the link was sent to; following it again changes nothing.

    :raises LinkNotValid: tampered with, expired, or the account's address has changed since.
    """
    claims = loads(_CONFIRM, token, "CONFIRM_EMAIL_TIMEOUT")
    user = db.session.get(User, claims.get("user"))
    if user is None or user.email != claims.get("email"):
        raise LinkNotValid()
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
        db.session.flush()
        security_event("email_confirmed", user_id=user.id)
        account_audit.record("email_confirmed", user.id)
    return user


def duration(seconds: int) -> str:
    """How long a link works, in words ("1 hour", "3 days")."""
    count, unit = max(1, seconds // 60), "minute"
    for name, size in (("day", 86400), ("hour", 3600)):
        if seconds >= size and seconds % size == 0:
            count, unit = seconds // size, name
            break
    return f"{count} {unit}{'s' if count != 1 else ''}"
