"""Two-factor sign-in: an authenticator app's codes (TOTP, RFC 6238, with PyOTP) and single-use
recovery codes, for council staff; and the authority's rule that staff must use it.

* Set-up: :func:`begin_setup` gives the account a new secret, which the set-up page shows; it is
  not used to sign in until :func:`enable` has been given a current code made from it. Enabling
  issues ``RECOVERY_CODE_COUNT`` recovery codes, returned once: only their SHA-256 is stored
  (they are random, 80 bits each, so a fast hash is as safe as for API tokens).
* Codes: one made for the current 30-second step or the one either side is accepted, and only if
  its step is later than the last accepted one's, so a code seen over a shoulder or replayed
  cannot be used again. A recovery code works once.
* Turning it on or off ends every other session of the user (``accounts.end_sessions``).
"""

import hashlib
import hmac
import logging
import secrets
from datetime import datetime

import pyotp
import sqlalchemy as sa

from ..extensions import db
from ..models import RecoveryCode, Role, TwoFactorPolicy, User
from ..models.types import utcnow
from ..security_log import security_event
from . import account_audit, accounts
from .errors import FieldError, NotAllowed, ValidationFailed

ISSUER = "assettransfer"
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 16  # base32 characters (80 bits), shown in groups of four
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# Steps either side of now a code is accepted in, for clocks that drift and slow typists.
VALID_WINDOW = 1

WRONG_CODE = "Enter a correct code from your authenticator app, or an unused recovery code"


def _refuse(field: str, message: str = WRONG_CODE):
    return ValidationFailed(message, [FieldError(field, message)])


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalise_recovery(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def required_for_staff() -> bool:
    """Whether an admin has said every council account must use two-factor sign-in."""
    return bool(db.session.scalar(sa.select(TwoFactorPolicy.required_for_staff).limit(1)))


def must_set_up(user: User) -> bool:
    """Whether ``user`` must set up two-factor sign-in before using any page."""
    return user.is_council and not user.has_two_factor and required_for_staff()


def set_required_for_staff(admin: User, required: bool) -> None:
    """Require (or stop requiring) two-factor sign-in of every council account.

    :raises NotAllowed: unless ``admin`` is an admin.
    """
    if admin.role is not Role.ADMIN:
        raise NotAllowed("Only admins can change who must use two-factor sign-in")
    policy = db.session.scalar(sa.select(TwoFactorPolicy).limit(1)) or TwoFactorPolicy()
    policy.required_for_staff = required
    policy.changed_at = utcnow()
    policy.changed_by_id = admin.id
    db.session.add(policy)
    db.session.flush()
    security_event("two_factor_policy_changed", user_id=admin.id, required_for_staff=required)
    account_audit.record("two_factor_policy_changed", None, by_user_id=admin.id,
                         required_for_staff=required)


def begin_setup(user: User) -> str:
    """The secret ``user`` is setting up (a new one unless set-up is already under way).

    :raises NotAllowed: for applicants (it is offered to council staff), and when it is already
        on, so its secret is never shown again.
    """
    if not user.is_council:
        raise NotAllowed("Two-factor sign-in is for council staff")
    if user.has_two_factor:
        raise NotAllowed("Two-factor sign-in is already on")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The ``otpauth://`` address an authenticator app reads from the set-up QR code."""
    return pyotp.TOTP(begin_setup(user)).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _accept_totp(user: User, code: str, at: datetime | None) -> bool:
    """Whether ``code`` is a fresh code of ``user``'s secret; remembers its step if so."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6 and user.totp_secret):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = totp.timecode(at or utcnow())
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            # One conditional UPDATE, so two requests racing with one code cannot both pass.
            moved_on = db.session.execute(
                sa.update(User)
                .where(User.id == user.id, sa.or_(User.totp_last_step.is_(None),
                                                  User.totp_last_step < step))
                .values(totp_last_step=step)
            ).rowcount
            if not moved_on:
                security_event("two_factor_code_replayed", logging.WARNING, user_id=user.id)
            return bool(moved_on)
    return False


def _use_recovery_code(user: User, code: str) -> bool:
    digest = _digest(_normalise_recovery(code or ""))
    # Found and used up in one UPDATE, so a code raced twice works once.
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == digest,
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if not used:
        return False
    security_event("recovery_code_used", logging.WARNING, user_id=user.id,
                   remaining=recovery_codes_left(user))
    return True


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def _issue_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(BASE32) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append("-".join(raw[i:i + 4] for i in range(0, len(raw), 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    db.session.flush()
    return codes


def enable(user: User, code: str, at: datetime | None = None) -> list[str]:
    """Turn on two-factor sign-in once ``code`` proves the app holds the secret; ends every
    session of ``user`` (the page that asked starts a new one). Returns the recovery codes,
    which are never available again.

    :raises ValidationFailed: on field ``code``.
    :raises NotAllowed: when it is already on.
    """
    begin_setup(user)
    if not _accept_totp(user, code, at):
        security_event("two_factor_setup_failed", logging.WARNING, user_id=user.id)
        raise _refuse("code", "Enter the 6-digit code your authenticator app shows now")
    user.two_factor_enabled_at = utcnow()
    codes = _issue_recovery_codes(user)
    accounts.end_sessions(user)
    security_event("two_factor_enabled", user_id=user.id)
    account_audit.record("two_factor_enabled", user.id)
    return codes


def verify(user: User, code: str, at: datetime | None = None) -> None:
    """Accept the second step of signing in: a fresh app code, or an unused recovery code
    (used up by this).

    :raises ValidationFailed: on field ``code``.
    """
    if user.has_two_factor and (_accept_totp(user, code, at) or _use_recovery_code(user, code)):
        security_event("two_factor_passed", user_id=user.id)
        account_audit.record("signed_in", user.id, second_factor=True)
        return
    security_event("two_factor_failed", logging.WARNING, user_id=user.id)
    account_audit.record_refusal("two_factor_failed", user.id)
    raise _refuse("code")


def confirms(user: User, code: str | None, at: datetime | None = None) -> bool:
    """Whether ``code`` (a fresh app code, or an unused recovery code, used up by this) confirms
    an act of ``user``, who is already signed in: signing a legal pack for the council."""
    if user.has_two_factor and code and (_accept_totp(user, code, at)
                                         or _use_recovery_code(user, code)):
        security_event("two_factor_confirmed", user_id=user.id)
        return True
    security_event("two_factor_confirm_failed", logging.WARNING, user_id=user.id)
    return False


def disable(user: User, password: str, code: str, at: datetime | None = None) -> None:
    """Turn off two-factor sign-in, which takes the password and a code (app or recovery); ends
    every session of ``user``. Staff may not while the authority requires it.

    :raises ValidationFailed: on fields ``password`` or ``code``.
    """
    if user.is_council and required_for_staff():
        raise _refuse("", "Two-factor sign-in is required for council staff: it stays on")
    if not accounts.password_matches(user, password):
        security_event("two_factor_disable_failed", logging.WARNING, user_id=user.id,
                       reason="wrong_password")
        raise _refuse("password", "Your password is not right")
    verify(user, code, at)
    user.totp_secret = None
    user.two_factor_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    accounts.end_sessions(user)
    security_event("two_factor_disabled", user_id=user.id)
    account_audit.record("two_factor_disabled", user.id)
