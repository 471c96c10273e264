"""Signed-in sessions: what a session must carry to be believed, and when it ends.

Flask's session is a cookie signed with ``SECRET_KEY``, so the server keeps nothing to delete
when a session should end. Instead Flask-Login keeps ``User.get_id()`` in it, the user's id and
their session epoch, and :func:`load_user` believes a session only while

* the user is active and their epoch is still the one the session began with: signing out, a new
  password, a new role and deactivation raise it (``accounts.end_sessions``), which ends every
  session of theirs, copies of the cookie included;
* it began less than ``SESSION_ABSOLUTE_TIMEOUT`` seconds ago (Flask also refuses a cookie signed
  longer ago than that: ``PERMANENT_SESSION_LIFETIME`` follows this setting);
* its last request was less than ``SESSION_IDLE_TIMEOUT`` seconds ago.

Otherwise the session is emptied and the visitor is anonymous again.

A user with two-factor sign-in who has given their password is not signed in: the session holds
only who is part-way (:func:`await_second_factor`), for ``TWO_FACTOR_PENDING_TIMEOUT`` seconds and
while their epoch stands, until the code starts the session proper. Signing in starts from an
empty session (:func:`start`), so nothing put in one before, by the visitor or by whoever planted
the cookie, is carried into the signed-in session.
"""

import time

from flask import current_app, session
from flask_login import login_user

from ..extensions import db
from ..models import User
from ..security_log import security_event

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# Recording the last request rewrites the cookie; once a minute is precise enough for a timeout.
SEEN_AT_PRECISION = 60
PENDING = "two_factor_pending"


def start(user: User) -> None:
    """Begin a new session for ``user`` in this browser, in place of whatever it held."""
    session.clear()
    login_user(user)
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(time.time())


def await_second_factor(user: User, target: str | None) -> None:
    """Remember, in place of whatever the session held, that ``user`` gave their password and
    is to be asked for a code, then sent to ``target``."""
    session.clear()
    session[PENDING] = {"user": user.id, "epoch": user.session_epoch, "at": int(time.time()),
                        "next": target}


def pending() -> tuple[User, str | None] | None:
    """The user part-way through signing in and where they were going, or None (never began,
    or too long ago, or their sessions have since been ended)."""
    state = session.get(PENDING)
    if not state:
        return None
    user = db.session.get(User, state["user"])
    timeout = current_app.config["TWO_FACTOR_PENDING_TIMEOUT"]
    if (user is None or not user.active or user.session_epoch != state["epoch"]
            or time.time() - state["at"] >= timeout):
        session.pop(PENDING)
        return None
    return user, state["next"]


def pending_account() -> str:
    """Who the second step's throttling counts against."""
    return str((session.get(PENDING) or {}).get("user", "(none)"))


def _ended_because(user: User | None, epoch: str, now: int) -> str | None:
    if user is None or not user.active or epoch != str(user.session_epoch):
        return "ended_elsewhere"  # signed out, new password or role, deactivated
    config = current_app.config
    if now - session.get(SIGNED_IN_AT, 0) >= config["SESSION_ABSOLUTE_TIMEOUT"]:
        return "absolute_timeout"
    if now - session.get(SEEN_AT, 0) >= config["SESSION_IDLE_TIMEOUT"]:
        return "idle_timeout"
    return None


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the user a live session belongs to, else None."""
    user_id, _, epoch = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    now = int(time.time())
    reason = _ended_because(user, epoch, now)
    if reason:
        security_event("session_ended", user_id=user and user.id, reason=reason)
        session.clear()
        return None
    if now - session[SEEN_AT] >= SEEN_AT_PRECISION:
        session[SEEN_AT] = now
    return user
