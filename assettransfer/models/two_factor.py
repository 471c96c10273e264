"""Two-factor sign-in: each account's recovery codes, and the authority's rule for staff."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class RecoveryCode(db.Model):
    """A single-use code that stands in for an authenticator app; only its SHA-256 is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TwoFactorPolicy(db.Model):
    """Whether every council account must sign in with a second factor: one row, changed by an
    admin (absent: not required)."""

    __tablename__ = "two_factor_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    required_for_staff: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
