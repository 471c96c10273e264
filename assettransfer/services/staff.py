"""Users and their roles, managed by admins: list, create, change role, deactivate, reactivate.

Only admins may use these. An admin can neither demote nor deactivate themselves, so the
authority never loses the admin making the change. A new role or deactivation ends the user's
sessions and revokes their API tokens, so nothing keeps the access they had before. Flushes,
never commits.
"""
import logging

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Membership, Role, User
from ..security_log import security_event
from . import account_audit, accounts
from .errors import FieldError, NotAllowed, NotFound, ValidationFailed
from .records import Page, by_id, page_bounds


def _require_admin(admin) -> None:
    if getattr(admin, "role", None) is not Role.ADMIN:
        raise NotAllowed("Only admins can manage users")


def _role(value) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ValidationFailed("Choose a role", [FieldError(
            "role", f"Choose a role: one of {', '.join(r.value for r in Role)}")]) from None


def list_users(admin, *, q=None, role=None, page=1, per_page=20) -> Page:
    """Users by name, filtered by part of a name or email and by role; one page of them."""
    _require_admin(admin)
    page, per_page = page_bounds(page, per_page)
    query = select(User)
    if q and q.strip():
        like = f"%{q.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    if role:
        query = query.where(User.role == _role(role))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.order_by(func.lower(User.name), User.id)
                               .offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(items), total, page, per_page)


def get_user(admin, user_id) -> User:
    _require_admin(admin)
    user = by_id(User, user_id)
    if user is None:
        raise NotFound("No such user")
    return user


def create_user(admin, email, name, role, password) -> User:
    """A new active user of any role (see :func:`accounts.create_user` for the checks)."""
    _require_admin(admin)
    return accounts.create_user(email, name, role, password)


def account_history(admin, user: User) -> list:
    """What the account trail records by or about ``user``, newest first."""
    _require_admin(admin)
    return account_audit.history(user.id)


def _is_group_member(user: User) -> bool:
    return db.session.scalar(
        select(Membership.user_id).where(Membership.user_id == user.id).limit(1)) is not None


def change_role(admin, user: User, role) -> User:
    """Give ``user`` another role; an admin may not change their own."""
    _require_admin(admin)
    new_role = _role(role)
    if user.id == admin.id and new_role is not Role.ADMIN:
        raise ValidationFailed("You cannot change your own role", [FieldError(
            "role", "You cannot remove your own admin role: ask another admin")])
    if new_role.is_council and _is_group_member(user):
        raise ValidationFailed("A member of a community group cannot be council staff", [FieldError(
            "role", f"{user.name} belongs to a community group that makes requests, so cannot be "
                    "given a council role")])
    if new_role is not user.role:
        revoked = _cut_off(user)
        security_event("role_changed", logging.WARNING, user_id=user.id, by_user_id=admin.id,
                       old_role=user.role.value, role=new_role.value, tokens_revoked=revoked)
        account_audit.record("role_changed", user.id, admin.id, old_role=user.role.value,
                             role=new_role.value, tokens_revoked=revoked)
        user.role = new_role
    db.session.flush()
    return user


def _cut_off(user: User) -> int:
    """End ``user``'s sessions and revoke their tokens; how many tokens were revoked."""
    accounts.end_sessions(user)
    return accounts.revoke_all_tokens(user)


def deactivate(admin, user: User) -> User:
    """Stop ``user`` signing in: their sessions end and their API tokens are revoked (their
    records stay); not oneself."""
    _require_admin(admin)
    if user.id == admin.id:
        raise ValidationFailed("You cannot deactivate yourself", [FieldError(
            "", "You cannot deactivate your own account: ask another admin")])
    if user.active:
        user.active = False
        revoked = _cut_off(user)
        security_event("user_deactivated", logging.WARNING, user_id=user.id,
                       by_user_id=admin.id, tokens_revoked=revoked)
        account_audit.record("user_deactivated", user.id, admin.id, tokens_revoked=revoked)
    db.session.flush()
    return user


def reactivate(admin, user: User) -> User:
    _require_admin(admin)
    if not user.active:
        user.active = True
        security_event("user_reactivated", user_id=user.id, by_user_id=admin.id)
        account_audit.record("user_reactivated", user.id, admin.id)
    db.session.flush()
    return user
