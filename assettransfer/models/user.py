import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, enum_column, utcnow


class Role(enum.StrEnum):
    APPLICANT = "applicant"
    OFFICER = "officer"
    DECISION_MAKER = "decision_maker"
    LEGAL = "legal"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_council(self) -> bool:
        return self is not Role.APPLICANT


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When its owner followed the link sent to the address (services.account_links); accounts an
    # admin or the command line makes are confirmed when made. Until then it cannot act on a bid.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Each signed-in session carries the value this had when it began; raising it (signing out,
    # a new password, a new role, deactivation) ends every session of the user at once.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    # The authenticator app's shared secret (base32): set while two-factor sign-in is being set
    # up, in use once two_factor_enabled_at is set; never shown after it is confirmed.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The time step of the last code accepted: a code of that step or before is refused (replay).
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # {message kind: False} for each kind of message the person turned off; statutory notices
    # and reminders of statutory deadlines are sent whatever it says (services/messages.py).
    message_preferences: Mapped[dict] = mapped_column(sa.JSON, default=dict,
                                                      server_default="{}")

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user")  # noqa: F821
    api_tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_council(self) -> bool:
        return self.role.is_council

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def has_two_factor(self) -> bool:
        return self.two_factor_enabled_at is not None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session epoch ("alternative
        tokens" in Flask-Login's documentation), so a raised epoch no longer loads the user."""
        return f"{self.id}:{self.session_epoch}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class ApiToken(db.Model):
    """A bearer token for the API; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hint: Mapped[str] = mapped_column(sa.String(12))  # the first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="api_tokens")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()
