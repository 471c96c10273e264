"""Accounts: sign-up, sign-in, sessions, passwords and API tokens.

Passwords are hashed with argon2id. ``ARGON2_PARAMS`` (a dict of ``PasswordHasher`` keyword
arguments, default: argon2-cffi's own) lets tests use cheap parameters; a stored hash made with
other parameters is upgraded the next time its owner signs in. What a new password must be is
``password_policy``'s. Each event that matters to security is logged (``security_log``).

A user's signed-in sessions all end when :func:`end_sessions` raises their ``session_epoch``: on
signing out, a new password, a new role and deactivation. API tokens expire
``API_TOKEN_LIFETIME_DAYS`` after they are issued.
"""

import hashlib
import logging
import secrets
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import ApiToken, Role, User
from ..models.types import utcnow
from ..security_log import security_event
from . import account_audit, account_links
from .errors import FieldError, NotFound, ValidationFailed
from .password_policy import password_problem
from .records import by_id

NAME_MAX_LENGTH = 200
TOKEN_NAME_MAX_LENGTH = 100
TOKEN_HINT_LENGTH = 8

# One message for every sign-in failure, so the form never reveals which accounts exist.
SIGN_IN_FAILED = "Enter a correct email address and password"


def _hasher() -> PasswordHasher:
    return PasswordHasher(**(current_app.config.get("ARGON2_PARAMS") or {}))


@lru_cache(maxsize=4)
def _dummy_hash(params: tuple) -> str:
    """A hash to verify against when the email is unknown, so that path takes as long."""
    return PasswordHasher(**dict(params)).hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _password_errors(password: str, field: str, email: str, name: str) -> list[FieldError]:
    problem = password_problem(password, email, name)
    return [FieldError(field, problem)] if problem else []


def normalise_email(email: str) -> str:
    """The address as stored: checked for shape (not deliverability) and lower-cased.

    :raises ValidationFailed: on field ``email``.
    """
    email = (email or "").strip()
    if not email:
        raise ValidationFailed("Invalid email", [FieldError("email", "Enter your email address")])
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationFailed(
            "Invalid email",
            [
                FieldError(
                    "email", "Enter an email address in the correct format, like name@example.com"
                )
            ],
        ) from None
    return checked.normalized.lower()


def get_by_email(email: str) -> User:
    """:raises NotFound: when no user has this address (in any case)."""
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(f"No user with email {email}")
    return user


def _account_errors(email: str, name: str, password: str) -> tuple[list[FieldError], str, str]:
    """What is wrong with a new account's details, and its e-mail and name as stored."""
    errors: list[FieldError] = []
    try:
        email = normalise_email(email)
    except ValidationFailed as exc:
        errors += exc.errors
    name = (name or "").strip()
    if not name:
        errors.append(FieldError("name", "Enter your full name"))
    elif len(name) > NAME_MAX_LENGTH:
        errors.append(FieldError("name", f"Name must be {NAME_MAX_LENGTH} characters or fewer"))
    errors += _password_errors(password or "", "password", email or "", name)
    return errors, email, name


def _account_id(email: str) -> int | None:
    return db.session.scalar(sa.select(User.id).where(User.email == email))


def create_user(email: str, name: str, role: Role | str, password: str) -> User:
    """A new active user with any role (for admins and the command line).

    :raises ValidationFailed: on fields ``email``, ``name``, ``role`` or ``password``.
    """
    errors, email, name = _account_errors(email, name, password)
    if not any(e.field == "email" for e in errors) and _account_id(email) is not None:
        errors.insert(0, FieldError("email", "An account with this email address already exists"))
    try:
        role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        errors.append(FieldError("role", f"Role must be one of {roles}"))
    if errors:
        raise ValidationFailed("The account could not be created", errors)
    # Whoever makes an account this way vouches for its address.
    user = User(email=email, name=name, role=role, password_hash=_hasher().hash(password),
                email_confirmed_at=utcnow())
    db.session.add(user)
    db.session.flush()
    security_event("user_created", user_id=user.id, role=user.role.value)
    account_audit.record("user_created", user.id, role=user.role.value)
    return user


def sign_up(email: str, name: str, password: str) -> None:
    """Ask for an applicant account; council staff are only ever made by :func:`create_user`.

    Whether the address already had an account is never said, by the outcome or by the time it
    takes, so sign-up cannot be used to find out who has one: a new address gets its account; a
    known one is left exactly as it was, and its owner signs in with the password they already
    had. The details are checked, and the password hashed, the same way in both cases. A new
    account is sent the link that confirms its address (``account_links``).

    :raises ValidationFailed: on fields ``email``, ``name`` or ``password``.
    """
    errors, email, name = _account_errors(email, name, password)
    if errors:
        raise ValidationFailed("The account could not be created", errors)
    password_hash = _hasher().hash(password)
    existing = _account_id(email)
    if existing is not None:
        security_event("sign_up_for_existing_account", logging.WARNING, user_id=existing)
        return
    # Two sign-ups for one address at once both find no account above; the one that inserts
    # second must end as a known address does, not with the unique index's error: so the insert
    # does nothing on a conflict, on both databases, and leaves the transaction usable.
    dialect_insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[
        db.session.get_bind().dialect.name]
    user_id = db.session.scalar(
        dialect_insert(User)
        .values(email=email, name=name, role=Role.APPLICANT, password_hash=password_hash)
        .on_conflict_do_nothing(index_elements=[User.email])
        .returning(User.id)
    )
    if user_id is None:
        security_event("sign_up_for_existing_account", logging.WARNING, user_id=_account_id(email))
        return
    security_event("signed_up", user_id=user_id)
    account_audit.record("signed_up", user_id)
    account_links.send_confirmation(db.session.get(User, user_id))


def authenticate(email: str, password: str) -> User:
    """The active user with this email and password; records the sign-in.

    :raises ValidationFailed: with the same message whatever was wrong.
    """
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        params = tuple(sorted((current_app.config.get("ARGON2_PARAMS") or {}).items()))
        _verify(_dummy_hash(params), password or "")
        refused = "unknown_email"  # what was typed is not logged: it may be a password
    # Verify even for inactive users so their failure takes as long as anyone's.
    elif not _verify(user.password_hash, password or ""):
        refused = "wrong_password"
    elif not user.active:
        refused = "inactive_user"
    else:
        refused = None
    if refused:
        security_event("sign_in_failed", logging.WARNING, user_id=user and user.id,
                       reason=refused)
        account_audit.record_refusal("sign_in_failed", user and user.id, reason=refused)
        raise ValidationFailed(SIGN_IN_FAILED, [FieldError("", SIGN_IN_FAILED)])
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    user.last_login_at = utcnow()
    db.session.flush()
    # With two-factor sign-in the password is only the first step (services.two_factor).
    step = "password_accepted" if user.has_two_factor else "signed_in"
    security_event(step, user_id=user.id)
    account_audit.record(step, user.id)
    return user


def end_sessions(user: User) -> None:
    """End every signed-in session of ``user``, wherever it is (see ``web/sessions.py``)."""
    user.session_epoch += 1
    db.session.flush()


def sign_out(user: User) -> None:
    """Sign ``user`` out everywhere: a copy of this session's cookie must not outlive it."""
    end_sessions(user)
    security_event("signed_out", user_id=user.id)


def change_password(user: User, current: str, new: str) -> None:
    """Give ``user`` a new password, ending every session of theirs: the page that asked starts
    a new one for its own browser.

    :raises ValidationFailed: on fields ``current_password`` or ``new_password``.
    """
    if not _verify(user.password_hash, current or ""):
        security_event("password_change_failed", logging.WARNING, user_id=user.id,
                       reason="wrong_current_password")
        account_audit.record_refusal("password_change_failed", user.id,
                                     reason="wrong_current_password")
        raise ValidationFailed(
            "Wrong password",
            [FieldError("current_password", "Your current password is not right")],
        )
    set_password(user, new)
    end_sessions(user)
    security_event("password_changed", user_id=user.id)
    account_audit.record("password_changed", user.id)


def set_password(user: User, new: str) -> None:
    """Hash ``new`` as ``user``'s password, if ``password_policy`` allows it.

    :raises ValidationFailed: on field ``new_password``.
    """
    errors = _password_errors(new or "", "new_password", user.email, user.name)
    if errors:
        raise ValidationFailed("The new password is not allowed", errors)
    user.password_hash = _hasher().hash(new)
    db.session.flush()


def _token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``; the plaintext is returned here and never stored.

    :raises ValidationFailed: on field ``name``.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("No name", [FieldError("name", "Enter a name for the token")])
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise ValidationFailed(
            "Name too long",
            [FieldError("name", f"Name must be {TOKEN_NAME_MAX_LENGTH} characters or fewer")],
        )
    plaintext = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        token_hash=_token_digest(plaintext),
        hint=plaintext[:TOKEN_HINT_LENGTH],
        expires_at=utcnow() + timedelta(days=current_app.config["API_TOKEN_LIFETIME_DAYS"]),
    )
    db.session.add(token)
    db.session.flush()
    security_event("token_created", user_id=user.id, token_id=token.id,
                   expires_at=token.expires_at.isoformat())
    account_audit.record("token_created", user.id, token_id=token.id)
    return token, plaintext


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens; revoking a revoked token changes nothing.

    :raises NotFound: when the token does not exist or belongs to someone else.
    """
    token = by_id(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("No such token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        security_event("token_revoked", user_id=user.id, token_id=token.id)
        account_audit.record("token_revoked", user.id, token_id=token.id)
    return token


def revoke_all_tokens(user: User) -> int:
    """Revoke every live token of ``user`` (their role or standing changed); how many."""
    live = [t for t in user.api_tokens if t.revoked_at is None]
    for token in live:
        token.revoked_at = utcnow()
    db.session.flush()
    return len(live)


def user_for_token(plaintext: str) -> User | None:
    """The active user a live (not revoked, not expired) token belongs to, or None; records the
    use, and logs a refusal with its reason."""
    if not plaintext:
        return None
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _token_digest(plaintext))
    )
    if token is None:
        refused = "unknown"
    elif token.is_revoked:
        refused = "revoked"
    elif token.is_expired:
        refused = "expired"
    elif not token.user.active:
        refused = "inactive_user"
    else:
        token.last_used_at = utcnow()
        db.session.flush()
        return token.user
    security_event("token_refused", logging.WARNING, reason=refused,
                   token_id=token and token.id, user_id=token and token.user_id)
    return None


def password_matches(user: User, password: str) -> bool:
    """Re-check a signed-in user's password, as signing a legal pack requires."""
    return isinstance(password, str) and _verify(user.password_hash, password)
