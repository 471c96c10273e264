"""Accounts: sign-up, sign-in, passwords and API tokens.

Passwords are hashed with argon2id. ``ARGON2_PARAMS`` (a dict of ``PasswordHasher`` keyword
arguments, default: argon2-cffi's own) lets tests use cheap parameters; a stored hash made with
other parameters is upgraded the next time its owner signs in.
"""

import hashlib
import secrets
from functools import lru_cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from ..extensions import db
from ..models import ApiToken, Role, User
from ..models.types import utcnow
from .errors import FieldError, NotFound, ValidationFailed
from .records import by_id

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 256  # argon2 copes with more; this bounds the work an attacker can ask for
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


def _password_errors(password: str, field: str) -> list[FieldError]:
    if len(password) < PASSWORD_MIN_LENGTH:
        return [FieldError(field, f"Password must be {PASSWORD_MIN_LENGTH} characters or more")]
    if len(password) > PASSWORD_MAX_LENGTH:
        return [FieldError(field, f"Password must be {PASSWORD_MAX_LENGTH} characters or fewer")]
    return []


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


def create_user(email: str, name: str, role: Role | str, password: str) -> User:
    """A new active user with any role (for admins and the command line).

    :raises ValidationFailed: on fields ``email``, ``name``, ``role`` or ``password``.
    """
    errors: list[FieldError] = []
    try:
        email = normalise_email(email)
    except ValidationFailed as exc:
        errors += exc.errors
    else:
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
            errors.append(FieldError("email", "An account with this email address already exists"))
    name = (name or "").strip()
    if not name:
        errors.append(FieldError("name", "Enter your full name"))
    elif len(name) > NAME_MAX_LENGTH:
        errors.append(FieldError("name", f"Name must be {NAME_MAX_LENGTH} characters or fewer"))
    try:
        role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        errors.append(FieldError("role", f"Role must be one of {roles}"))
    errors += _password_errors(password or "", "password")
    if errors:
        raise ValidationFailed("The account could not be created", errors)
    user = User(email=email, name=name, role=role, password_hash=_hasher().hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(email: str, name: str, password: str) -> User:
    """A new applicant account; council staff are only ever made by :func:`create_user`."""
    return create_user(email, name, Role.APPLICANT, password)


def authenticate(email: str, password: str) -> User:
    """The active user with this email and password; records the sign-in.

    :raises ValidationFailed: with the same message whatever was wrong.
    """
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        params = tuple(sorted((current_app.config.get("ARGON2_PARAMS") or {}).items()))
        _verify(_dummy_hash(params), password or "")
        ok = False
    else:
        # Verify even for inactive users so their failure takes as long as anyone's.
        ok = _verify(user.password_hash, password or "") and user.active
    if not ok:
        raise ValidationFailed(SIGN_IN_FAILED, [FieldError("", SIGN_IN_FAILED)])
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """:raises ValidationFailed: on fields ``current_password`` or ``new_password``."""
    if not _verify(user.password_hash, current or ""):
        raise ValidationFailed(
            "Wrong password",
            [FieldError("current_password", "Your current password is not right")],
        )
    errors = _password_errors(new or "", "new_password")
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
    )
    db.session.add(token)
    db.session.flush()
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
    return token


def user_for_token(plaintext: str) -> User | None:
    """The active user a live token belongs to, or None; records the use."""
    if not plaintext:
        return None
    token = db.session.scalar(
        sa.select(ApiToken)
        .join(ApiToken.user)
        .where(
            ApiToken.token_hash == _token_digest(plaintext),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    )
    if token is None:
        return None
    token.last_used_at = utcnow()
    db.session.flush()
    return token.user


def password_matches(user: User, password: str) -> bool:
    """Re-check a signed-in user's password, as signing a legal pack requires."""
    return isinstance(password, str) and _verify(user.password_hash, password)
