"""Setting a new password with a link sent to the account's address, when the old one is
forgotten.

Asking for a link answers the same whatever was typed, and sends nothing unless an active account
has that address, so the page reveals nobody's account. The link (``account_links``) works for
``PASSWORD_RESET_TIMEOUT`` seconds and once: it names a digest of the password hash it was sent
against, and the new password changes the hash. A new password ends every session of the account,
and signs nobody in, so two-factor sign-in still asks for its code.
"""

import hashlib
import logging

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import User
from ..models.types import utcnow
from ..security_log import security_event
from . import account_audit, accounts
from .account_links import LinkNotValid, duration, link, loads, sent_key, serializer
from .messages import queue_message

PASSWORD_RESET_PATH = "/account/reset-password/"
_PURPOSE = "password-reset"


def _password_digest(user: User) -> str:
    """Names the password a link replaces, without letting the link show the hash."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:32]


def request_link(email: str) -> None:
    """E-mail a reset link to the active account with this address, if there is one.

    :raises ValidationFailed: on field ``email`` only when it is not an address at all.
    """
    address = accounts.normalise_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == address))
    if user is None or not user.active:
        security_event("password_reset_refused", logging.WARNING, user_id=user and user.id,
                       reason="inactive_user" if user else "unknown_email")
        return
    token = serializer(_PURPOSE).dumps({"user": user.id, "pw": _password_digest(user)})
    queue_message("password_reset", key=sent_key(user, "password_reset"), to_name=user.name,
                  to_address=user.email, user=user,
                  context={"to_name": user.name, "url": link(PASSWORD_RESET_PATH, token),
                           "valid_for": duration(current_app.config["PASSWORD_RESET_TIMEOUT"])})
    security_event("password_reset_sent", user_id=user.id)
    account_audit.record("password_reset_sent", user.id)


def user_for(token: str) -> User:
    """The account a reset link is for, while the link still works.

    :raises LinkNotValid: tampered with, expired, used already, or the account deactivated.
    """
    claims = loads(_PURPOSE, token, "PASSWORD_RESET_TIMEOUT")
    user = db.session.get(User, claims.get("user"))
    if user is None or not user.active or claims.get("pw") != _password_digest(user):
        security_event("link_refused", logging.WARNING, purpose=_PURPOSE,
                       reason="used_or_inactive", user_id=user and user.id)
        raise LinkNotValid()
    return user


def reset_password(token: str, new_password: str) -> User:
    """Give the link's account ``new_password`` and end every session of theirs.

    :raises LinkNotValid: as :func:`user_for`.
    :raises ValidationFailed: on field ``new_password`` (``password_policy``).
    """
    user = user_for(token)
    accounts.set_password(user, new_password)
    if not user.email_confirmed:  # the link reached the address: that confirms it too
        user.email_confirmed_at = utcnow()
    accounts.end_sessions(user)
    security_event("password_reset", user_id=user.id)
    account_audit.record("password_reset", user.id)
    return user
